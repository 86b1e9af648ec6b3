import { Module } from '@nestjs/common';
import { DeploymentLifecycleModule } from '@switchyard/core/deployments';
import { CostsModule } from '../costs/costs.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { BudgetsController } from './budgets/budgets.controller.js';
import { BudgetsRepository } from './budgets/budgets.repository.js';
import { BudgetsService } from './budgets/budgets.service.js';
import { SpendReportService } from './budgets/spend-report.service.js';
import { GovernanceGate } from './governance-gate.service.js';
import { LeasesController } from './leases/leases.controller.js';
import { LeasesRepository } from './leases/leases.repository.js';
import { LeasesService } from './leases/leases.service.js';
import { PlacementChooser } from './placement/placement-chooser.service.js';
import { PlacementPoliciesService } from './placement/placement-policies.service.js';
import { PlacementController } from './placement/placement.controller.js';
import { PlacementRepository } from './placement/placement.repository.js';
import { QuotaGate } from './quotas/quota-gate.service.js';
import { QuotasController } from './quotas/quotas.controller.js';
import { QuotasRepository } from './quotas/quotas.repository.js';
import { QuotasService } from './quotas/quotas.service.js';

/** Governance (issue 19): quotas, leases, budgets and the spend report, placement policies; the order path goes through the GovernanceGate. */
@Module({
  imports: [DeploymentLifecycleModule, TenantsModule, CostsModule, EnvironmentsModule],
  controllers: [QuotasController, LeasesController, BudgetsController, PlacementController],
  providers: [
    GovernanceGate,
    QuotaGate,
    QuotasRepository,
    QuotasService,
    LeasesRepository,
    LeasesService,
    BudgetsRepository,
    BudgetsService,
    SpendReportService,
    PlacementRepository,
    PlacementChooser,
    PlacementPoliciesService,
  ],
  exports: [GovernanceGate, PlacementChooser],
})
export class GovernanceModule {}
