import { Module } from '@nestjs/common';
import { DeploymentUsageRepository } from './deployment-usage.repository.js';
import { SpendController } from './spend.controller.js';
import { SpendService } from './spend.service.js';

/** What deployments cost, from their instances: per deployment (exported) and the spend total. */
@Module({
  controllers: [SpendController],
  providers: [DeploymentUsageRepository, SpendService],
  exports: [DeploymentUsageRepository],
})
export class CostsModule {}
