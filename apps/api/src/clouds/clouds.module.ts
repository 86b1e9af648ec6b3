import { Module } from '@nestjs/common';
import { CloudAccountChecksService } from './cloud-account-checks.service.js';
import { CloudAccountsController } from './cloud-accounts.controller.js';
import { CloudAccountsRepository } from './cloud-accounts.repository.js';
import { CloudAccountsService } from './cloud-accounts.service.js';
import { CloudSecretsService } from './cloud-secrets.service.js';
import { DemoCloudsService } from './demo-clouds.service.js';
import { EnvironmentCatalogService } from './environment-catalog.service.js';
import { EnvironmentsController } from './environments.controller.js';
import { EnvironmentsRepository } from './environments.repository.js';
import { EnvironmentsService } from './environments.service.js';

/**
 * Clouds (issue 4): accounts with sealed, write-only credentials, environments with prices, and
 * the catalog/connection view that planning and deployments use (exported).
 */
@Module({
  controllers: [CloudAccountsController, EnvironmentsController],
  providers: [
    CloudSecretsService,
    CloudAccountsRepository,
    CloudAccountsService,
    CloudAccountChecksService,
    EnvironmentsRepository,
    EnvironmentsService,
    EnvironmentCatalogService,
    DemoCloudsService,
  ],
  exports: [EnvironmentCatalogService, EnvironmentsService],
})
export class CloudsModule {}
