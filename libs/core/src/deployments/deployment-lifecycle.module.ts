import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { DeploymentLifecycle } from './deployment-lifecycle.js';
import { DeploymentRepository } from './deployment.repository.js';

/** The deployment lifecycle and its repository, for the API and the worker alike. */
@Module({
  // every deployment event goes out to the tenant's webhooks that want its type
  imports: [WebhooksModule],
  providers: [DeploymentRepository, DeploymentLifecycle],
  exports: [DeploymentRepository, DeploymentLifecycle],
})
export class DeploymentLifecycleModule {}
