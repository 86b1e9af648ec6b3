import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CloudAccountAdapters } from '@switchyard/cloud-adapters';
import { ConfigModule, type AppConfig } from '@switchyard/core/config';
import { SecretsModule } from '@switchyard/core/crypto';
import { DatabaseModule } from '@switchyard/core/database';
import { DeploymentLifecycleModule } from '@switchyard/core/deployments';
import { LoggingModule } from '@switchyard/core/logging';
import { QueueModule } from '@switchyard/core/queue';
import { MIGRATIONS } from '@switchyard/migrations';
import { CloudAccountSyncHandler } from './clouds/cloud-account-sync.handler.js';
import { CloudAccountsRepository } from './clouds/cloud-accounts.repository.js';
import { QueueWorkersService } from './jobs/queue-workers.service.js';
import { SelfCheckHandler } from './self-check/self-check.handler.js';
import { CloudAccessService } from './deploy/cloud-access.service.js';
import { DeployNetworkStep } from './deploy/deploy-network.step.js';
import { DeployPowerStep } from './deploy/deploy-power.step.js';
import { DeployProvisionStep } from './deploy/deploy-provision.step.js';
import { DeployTeardownStep } from './deploy/deploy-teardown.step.js';
import { DeploymentStepHandler } from './deploy/deployment-step.handler.js';
import { DeploymentSteps } from './deploy/deployment-steps.service.js';
import { StepFailures } from './deploy/step-failures.service.js';
import { DriftCheck } from './reconcile/drift-check.service.js';
import { BudgetAlerts } from './reconcile/budget-alerts.service.js';
import { LeaseExpiry } from './reconcile/lease-expiry.js';
import { CloudOrphansRepository } from './reconcile/cloud-orphans.repository.js';
import { OrphanSweep } from './reconcile/orphan-sweep.service.js';
import { ReconcileHandler } from './reconcile/reconcile.handler.js';
import { SessionSweep } from './reconcile/session-sweep.service.js';
import { DeploymentStore } from './deploy/deployment-store.service.js';
import { ApprovalExpiry } from './governance/approval-expiry.service.js';
import { WebhookDeliveryHandler } from './governance/webhook-delivery.handler.js';
import { WebhookRequeue } from './governance/webhook-requeue.service.js';
import { WebhookSender } from './governance/webhook-sender.js';
import { WebhooksModule } from '@switchyard/core/webhooks';
import { Fabric } from '@switchyard/network-fabric';
import { DataSource } from 'typeorm';
import { BenchmarkFlowModule } from '@switchyard/core/benchmarks';
import { BenchmarkRepeats } from './benchmark/benchmark-repeats.service.js';
import { BenchmarkStepHandler } from './benchmark/benchmark-step.handler.js';
import { BenchmarkSteps } from './benchmark/benchmark-steps.service.js';
import { LoadGenerator } from './benchmark/load-generator.service.js';
import { RulesetPushRepository } from './fabric-push/ruleset-push.repository.js';
import { RulesetPush } from './fabric-push/ruleset-push.service.js';

/** Every job handler is listed here; the worker checks the catalogue is complete at boot. */
const HANDLERS = [
  SelfCheckHandler,
  CloudAccountSyncHandler,
  DeploymentStepHandler,
  ReconcileHandler,
  WebhookDeliveryHandler,
  BenchmarkStepHandler,
];

const DEPLOY = [
  CloudAccountAdapters,
  CloudAccountsRepository,
  CloudOrphansRepository,
  CloudAccessService,
  DeploymentStore,
  DeployNetworkStep,
  DeployProvisionStep,
  DeployTeardownStep,
  DeployPowerStep,
  DeploymentSteps,
  StepFailures,
  DriftCheck,
  OrphanSweep,
  LeaseExpiry,
  BudgetAlerts,
  SessionSweep,
  ApprovalExpiry,
  WebhookSender,
  WebhookRequeue,
  BenchmarkSteps,
  BenchmarkRepeats,
  LoadGenerator,
  RulesetPushRepository,
  RulesetPush,
  { provide: Fabric, inject: [DataSource], useFactory: (db: DataSource) => new Fabric(db) },
];

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DiscoveryModule,
        DatabaseModule.forRoot({ migrations: MIGRATIONS, applicationName: 'switchyard-worker' }),
        QueueModule,
        DeploymentLifecycleModule,
        BenchmarkFlowModule,
        SecretsModule,
        WebhooksModule,
      ],
      providers: [QueueWorkersService, ...DEPLOY, ...HANDLERS],
    };
  }
}
