import { Module } from '@nestjs/common';
import { DeploymentLifecycleModule } from '@switchyard/core/deployments';
import { TenantsModule } from '../tenants/tenants.module.js';
import { QuotaGate } from './quotas/quota-gate.service.js';
import { QuotasController } from './quotas/quotas.controller.js';
import { QuotasRepository } from './quotas/quotas.repository.js';
import { QuotasService } from './quotas/quotas.service.js';

/** Governance (issue 19): quotas; the order path uses the QuotaGate. */
@Module({
  imports: [DeploymentLifecycleModule, TenantsModule],
  controllers: [QuotasController],
  providers: [QuotaGate, QuotasRepository, QuotasService],
  exports: [QuotaGate],
})
export class GovernanceModule {}
