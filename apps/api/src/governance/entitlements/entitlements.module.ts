import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { TenantsModule } from '../../tenants/tenants.module.js';
import { EntitlementsCache } from './entitlements-cache.js';
import { EntitlementsChangeListener } from './entitlements-change-listener.service.js';
import { EntitlementsController } from './entitlements.controller.js';
import { EntitlementsRepository } from './entitlements.repository.js';
import { EntitlementsService } from './entitlements.service.js';

/** Entitlements (issue 19): what each tenant may order and where; read by the catalog and orders. */
@Module({
  imports: [TenantsModule],
  controllers: [EntitlementsController],
  providers: [
    EntitlementsRepository,
    EntitlementsService,
    EntitlementsChangeListener,
    {
      provide: EntitlementsCache,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new EntitlementsCache(config.sessions.principalCacheMs),
    },
  ],
  exports: [EntitlementsService],
})
export class EntitlementsModule {}
