import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@switchyard/core/config';
import { SecretsModule } from '@switchyard/core/crypto';
import { DatabaseModule } from '@switchyard/core/database';
import { LoggingModule } from '@switchyard/core/logging';
import { QueueModule } from '@switchyard/core/queue';
import { MIGRATIONS } from '@switchyard/migrations';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BlueprintsModule } from './blueprints/blueprints.module.js';
import { CloudAccountsModule } from './cloud-accounts/cloud-accounts.module.js';
import { BenchmarksModule } from './benchmarks/benchmarks.module.js';
import { DeploymentsModule } from './deployments/deployments.module.js';
import { EnvironmentsModule } from './environments/environments.module.js';
import { FabricModule } from './fabric/fabric.module.js';
import { GovernanceModule } from './governance/governance.module.js';
import { ApprovalsModule } from './governance/approvals/approvals.module.js';
import { EntitlementsModule } from './governance/entitlements/entitlements.module.js';
import { WebhookSubscriptionsModule } from './governance/webhooks/webhooks.module.js';
import { HealthModule } from './health/health.module.js';
import { MeModule } from './me/me.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SeedingModule } from './seeding/seeding.module.js';
import { SelfCheckModule } from './self-check/self-check.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { UsersModule } from './users/users.module.js';
import { WebSessionModule } from './web-session/web-session.module.js';

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
        SecretsModule,
        // one module per feature; routes (and the OpenAPI document) follow this order
        HealthModule,
        MeModule,
        TenantsModule,
        UsersModule,
        TokensModule,
        SessionsModule,
        WebSessionModule,
        SelfCheckModule,
        AuthModule,
        AuditModule,
        MetricsModule,
        FabricModule,
        BlueprintsModule,
        CloudAccountsModule,
        EnvironmentsModule,
        DeploymentsModule,
        GovernanceModule,
        ApprovalsModule,
        EntitlementsModule,
        WebhookSubscriptionsModule,
        BenchmarksModule,
        SeedingModule,
      ],
    };
  }
}
