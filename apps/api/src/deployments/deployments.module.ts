import { Module } from '@nestjs/common';
import { BenchmarkFlowModule } from '@switchyard/core/benchmarks';
import { DeploymentLifecycleModule } from '@switchyard/core/deployments';
import { PlacementStrategyService } from '../benchmarks/placement-strategy.service.js';
import { BlueprintsModule } from '../blueprints/blueprints.module.js';
import { CostsModule } from '../costs/costs.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { ApprovalsModule } from '../governance/approvals/approvals.module.js';
import { GovernanceModule } from '../governance/governance.module.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsService } from './deployments.service.js';
import { OrdersService } from './orders.service.js';

/** Orders and deployments (issue 6): the API side; the worker runs the steps. */
@Module({
  imports: [
    BlueprintsModule,
    EnvironmentsModule,
    DeploymentLifecycleModule,
    CostsModule,
    GovernanceModule,
    ApprovalsModule,
    BenchmarkFlowModule,
  ],
  controllers: [DeploymentsController],
  providers: [OrdersService, DeploymentsService, PlacementStrategyService],
})
export class DeploymentsModule {}
