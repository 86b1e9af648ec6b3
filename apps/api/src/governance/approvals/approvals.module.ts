import { Module } from '@nestjs/common';
import { DeploymentLifecycleModule } from '@switchyard/core/deployments';
import { ApprovalGate } from './approval-gate.service.js';
import { ApprovalRulesRepository } from './approval-rules.repository.js';
import { ApprovalRulesService } from './approval-rules.service.js';
import { ApprovalsController } from './approvals.controller.js';
import { ApprovalsRepository } from './approvals.repository.js';
import { ApprovalsService } from './approvals.service.js';

/** Approvals (issue 19): rules, the inbox and decisions; the gate is read by the order path. */
@Module({
  imports: [DeploymentLifecycleModule],
  controllers: [ApprovalsController],
  providers: [
    ApprovalRulesRepository,
    ApprovalRulesService,
    ApprovalsRepository,
    ApprovalsService,
    ApprovalGate,
  ],
  exports: [ApprovalGate],
})
export class ApprovalsModule {}
