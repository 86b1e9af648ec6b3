import { Module } from '@nestjs/common';
import { DeploymentLifecycle } from './deployment-lifecycle.js';
import { DeploymentRepository } from './deployment.repository.js';
import { GuestTokens } from './guest-tokens.js';

/** The deployment lifecycle, its repository and the guests' tokens, for the API and the worker alike. */
@Module({
  providers: [DeploymentRepository, DeploymentLifecycle, GuestTokens],
  exports: [DeploymentRepository, DeploymentLifecycle, GuestTokens],
})
export class DeploymentLifecycleModule {}
