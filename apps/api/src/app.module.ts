import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, DatabaseModule, LoggingModule, QueueModule, type AppConfig } from '@switchyard/core';
import { MIGRATIONS } from '@switchyard/migrations';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BlueprintsModule } from './blueprints/blueprints.module.js';
import { DeploymentsModule } from './deployments/deployments.module.js';
import { CloudAccountsModule } from './cloud-accounts/cloud-accounts.module.js';
import { EnvironmentsModule } from './environments/environments.module.js';
import { FabricModule } from './fabric/fabric.module.js';
import { HealthController } from './health/health.controller.js';

import { MeController } from './me/me.controller.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SeedingModule } from './seeding/seeding.module.js';
import { SelfCheckController } from './self-check/self-check.controller.js';
import { SelfCheckService } from './self-check/self-check.service.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { SessionsService } from './sessions/sessions.service.js';
import { TenantsController } from './tenants/tenants.controller.js';
import { TenantsService } from './tenants/tenants.service.js';
import { TokensController } from './tokens/tokens.controller.js';
import { TokensService } from './tokens/tokens.service.js';
import { UsersController } from './users/users.controller.js';
import { UserPasswordsService } from './users/user-passwords.service.js';
import { UsersService } from './users/users.service.js';
import { WebSessionController } from './web-session/web-session.controller.js';
import { WebSessionService } from './web-session/web-session.service.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule.forRoot({ migrations: MIGRATIONS, applicationName: 'switchyard-api' }),
        QueueModule,
        AuthModule,
        AuditModule,
        MetricsModule,
        FabricModule,
        BlueprintsModule,
        CloudAccountsModule,
        EnvironmentsModule,
        DeploymentsModule,
        SeedingModule,
      ],
      controllers: [
        HealthController,
        MeController,
        TenantsController,
        UsersController,
        TokensController,
        SessionsController,
        WebSessionController,
        SelfCheckController,
      ],
      providers: [
        TenantsService,
        UsersService,
        UserPasswordsService,
        TokensService,
        SessionsService,
        WebSessionService,
        SelfCheckService,
      ],
    };
  }
}
