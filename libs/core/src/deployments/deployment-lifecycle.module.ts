import { Module } from '@nestjs/common';
import { QuotaLedger } from '../governance/quota-ledger.js';
import { DeploymentLifecycle } from './deployment-lifecycle.js';
import { DeploymentRepository } from './deployment.repository.js';

/** The deployment lifecycle and its repository, for the API and the worker alike. */
@Module({
  providers: [DeploymentRepository, DeploymentLifecycle, QuotaLedger],
  exports: [DeploymentRepository, DeploymentLifecycle, QuotaLedger],
})
export class DeploymentLifecycleModule {}
