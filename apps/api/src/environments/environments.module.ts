import { Module } from '@nestjs/common';
import { CloudAccountsModule } from '../cloud-accounts/cloud-accounts.module.js';
import { EntitlementsModule } from '../governance/entitlements/entitlements.module.js';
import { EnvironmentCatalogService } from './environment-catalog.service.js';
import { EnvironmentsController } from './environments.controller.js';
import { EnvironmentsRepository } from './environments.repository.js';
import { EnvironmentsService } from './environments.service.js';

/**
 * Environments: named deployment targets (an account, a region, placement, images and a price
 * list), and the priced catalog that planning and orders read (exported).
 */
@Module({
  imports: [CloudAccountsModule, EntitlementsModule],
  controllers: [EnvironmentsController],
  providers: [EnvironmentsRepository, EnvironmentsService, EnvironmentCatalogService],
  exports: [EnvironmentsService, EnvironmentCatalogService],
})
export class EnvironmentsModule {}
