import { Module } from '@nestjs/common';
import { DeploymentLifecycle } from './deployment-lifecycle.js';
import { DeploymentRepository } from './deployment.repository.js';

/** The deployment lifecycle and its repository, for the API and the worker alike. */
@Module({
  providers: [DeploymentRepository, DeploymentLifecycle],
  exports: [DeploymentRepository, DeploymentLifecycle],
})
export class DeploymentLifecycleModule {}
