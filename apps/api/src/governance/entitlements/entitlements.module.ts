import { Module } from '@nestjs/common';
import { TenantsModule } from '../../tenants/tenants.module.js';
import { EntitlementsController } from './entitlements.controller.js';
import { EntitlementsRepository } from './entitlements.repository.js';
import { EntitlementsService } from './entitlements.service.js';

/** Entitlements (issue 19): what each tenant may order and where; read by the catalog and orders. */
@Module({
  imports: [TenantsModule],
  controllers: [EntitlementsController],
  providers: [EntitlementsRepository, EntitlementsService],
  exports: [EntitlementsService],
})
export class EntitlementsModule {}
