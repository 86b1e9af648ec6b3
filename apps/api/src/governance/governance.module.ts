import { Module } from '@nestjs/common';
import { DeploymentLifecycleModule } from '@switchyard/core/deployments';
import { TenantsModule } from '../tenants/tenants.module.js';
import { GovernanceGate } from './governance-gate.service.js';
import { LeasesController } from './leases/leases.controller.js';
import { LeasesRepository } from './leases/leases.repository.js';
import { LeasesService } from './leases/leases.service.js';
import { QuotaGate } from './quotas/quota-gate.service.js';
import { QuotasController } from './quotas/quotas.controller.js';
import { QuotasRepository } from './quotas/quotas.repository.js';
import { QuotasService } from './quotas/quotas.service.js';

/** Governance (issue 19): quotas, leases; the order path goes through the GovernanceGate. */
@Module({
  imports: [DeploymentLifecycleModule, TenantsModule],
  controllers: [QuotasController, LeasesController],
  providers: [GovernanceGate, QuotaGate, QuotasRepository, QuotasService, LeasesRepository, LeasesService],
  exports: [GovernanceGate],
})
export class GovernanceModule {}
