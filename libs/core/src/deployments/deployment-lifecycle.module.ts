import { Module } from '@nestjs/common';
import { QuotaLedger } from '../governance/quota-ledger.js';
import { DeploymentLifecycle } from './deployment-lifecycle.js';
import { DeploymentRepository } from './deployment.repository.js';
import { GuestTokens } from './guest-tokens.js';

/** The deployment lifecycle, its repository, the guests' tokens and the quota ledger, for the API and the worker alike. */
@Module({
  providers: [DeploymentRepository, DeploymentLifecycle, GuestTokens, QuotaLedger],
  exports: [DeploymentRepository, DeploymentLifecycle, GuestTokens, QuotaLedger],
})
export class DeploymentLifecycleModule {}
