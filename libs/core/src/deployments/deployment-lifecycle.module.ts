import { Module } from '@nestjs/common';
import { QuotaLedger } from '../governance/quota-ledger.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { DeploymentLifecycle } from './deployment-lifecycle.js';
import { DeploymentRepository } from './deployment.repository.js';
import { GuestTokens } from './guest-tokens.js';

/** The deployment lifecycle, its repository, the guests' tokens and the quota ledger, for the API and the worker alike. */
@Module({
  // every deployment event goes out to the tenant's webhooks that want its type
  imports: [WebhooksModule],
  providers: [DeploymentRepository, DeploymentLifecycle, GuestTokens, QuotaLedger],
  exports: [DeploymentRepository, DeploymentLifecycle, GuestTokens, QuotaLedger],
})
export class DeploymentLifecycleModule {}
