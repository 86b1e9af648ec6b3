import { Module } from '@nestjs/common';
import { CloudAccountAdapters } from '@switchyard/cloud-adapters';
import { CloudAccountChecksService } from './cloud-account-checks.service.js';
import { CloudAccountsController } from './cloud-accounts.controller.js';
import { CloudAccountsRepository } from './cloud-accounts.repository.js';
import { CloudAccountsService } from './cloud-accounts.service.js';
import { CloudSecretsService } from './cloud-secrets.service.js';

/**
 * Cloud accounts (issue 4): credentials sealed at rest and write-only, the connection test, the
 * inventory sync and the orphans the reconciler found.
 */
@Module({
  controllers: [CloudAccountsController],
  providers: [
    CloudAccountAdapters,
    CloudSecretsService,
    CloudAccountsRepository,
    CloudAccountsService,
    CloudAccountChecksService,
  ],
  exports: [
    CloudAccountAdapters,
    CloudSecretsService,
    CloudAccountsRepository,
    CloudAccountsService,
    CloudAccountChecksService,
  ],
})
export class CloudAccountsModule {}
