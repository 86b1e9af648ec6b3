import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloudAccountAdapters, type CloudImage } from '@switchyard/cloud-adapters';
import { APP_CONFIG, type AppConfig, type DemoClouds } from '@switchyard/core/config';
import { SYSTEM_SCOPE, tenantOnly, UnitOfWork } from '@switchyard/core/database';
import { readFileSync } from 'node:fs';
import { AuditService } from '../audit/audit.service.js';
import { CloudAccountChecksService } from '../cloud-accounts/cloud-account-checks.service.js';
import { CloudAccountsRepository } from '../cloud-accounts/cloud-accounts.repository.js';
import { CloudAccountsService } from '../cloud-accounts/cloud-accounts.service.js';
import { CloudSecretsService } from '../cloud-accounts/cloud-secrets.service.js';
import type { CreateEnvironmentDto } from '../environments/environments.dto.js';
import { EnvironmentsService } from '../environments/environments.service.js';
import { DEFAULT_TENANT } from '../tenants/default-tenant.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { demoSpecs, type DemoSpec } from './demo-clouds.util.js';

// Shared by every API process: two starting at once seed one after the other.
const DEMO_CLOUDS_LOCK = 0x5359_4301;
// generous: a moto just started builds its EC2 backend on the first call (seconds on a busy machine)
const PROBE_LIMITS = { requestTimeoutMs: 20_000, maxAttempts: 2 } as const;

/**
 * `npm start`'s demo: accounts for the simulated clouds the launcher started (moto, vcsim) and,
 * when it answers, the real OpenStack, each with a shared environment the demo catalog plans on.
 * Only when SWITCHYARD_DEMO_CLOUDS says where they are; idempotent across restarts.
 */
@Injectable()
export class DemoCloudsService {
  private readonly logger = new Logger(DemoCloudsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(TenantsRepository) private readonly tenants: TenantsRepository,
    @Inject(CloudAccountAdapters) private readonly adapters: CloudAccountAdapters,
    @Inject(CloudAccountsService) private readonly accounts: CloudAccountsService,
    @Inject(CloudAccountsRepository) private readonly accountsRepo: CloudAccountsRepository,
    @Inject(CloudAccountChecksService) private readonly checks: CloudAccountChecksService,
    @Inject(CloudSecretsService) private readonly secrets: CloudSecretsService,
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Seeds in the background: probing the peers must not hold up the API. */
  start(): void {
    const demo = this.config.demoClouds;
    if (!demo) return;
    void this.seed(demo).catch((err: unknown) =>
      this.logger.error(`demo clouds not seeded: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private async seed(demo: DemoClouds): Promise<void> {
    const tenantId = await this.waitForTenant();
    const specs = demoSpecs(
      demo,
      readCa(demo.vcsim?.caCertFile),
      demo.linuxHost ? readToken(demo.linuxHost.tokenFile) : undefined,
    );
    if (!demo.openstack) {
      this.logger.log('OpenStack demo: not configured (start it with tools/peers/up.sh openstack)');
    }
    for (const spec of specs) {
      const images = await this.probe(spec);
      if (!images) continue;
      await this.ensure(tenantId, spec, images);
    }
  }

  /** The cloud's images, or undefined (logged with what to do) when it does not answer. */
  private async probe(spec: DemoSpec): Promise<CloudImage[] | undefined> {
    const a = spec.account;
    const adapter = this.adapters.connect(a, a.credentials, PROBE_LIMITS);
    try {
      await adapter.validateCredentials();
      return await adapter.listImages();
    } catch (err) {
      this.logger.warn(
        `${a.name}: nothing usable answers at ${spec.endpoint} (${err instanceof Error ? err.message : String(err)}); ` +
          `not seeded. ${spec.howToStart}`,
      );
      return undefined;
    } finally {
      await adapter.close().catch(() => undefined);
    }
  }

  private async ensure(tenantId: string, spec: DemoSpec, images: CloudImage[]): Promise<void> {
    const scope = tenantOnly(tenantId);
    const { account, environment } = await this.uow.runLocked(DEMO_CLOUDS_LOCK, async (em) => {
      const existing = await this.accountsRepo.findByName(scope, spec.account.name, em);
      let account = existing;
      if (!existing) {
        const created = await this.accounts.insert(em, 'system', tenantId, spec.account);
        account = await this.accountsRepo.find(scope, created.id, em);
      } else {
        // the peers' addresses and certificate may differ from the last start
        const sealed = this.secrets.seal(existing.id, spec.account.credentials);
        existing.settings = spec.account.settings;
        existing.secretKeyId = sealed.keyId;
        existing.secretData = sealed.data;
        existing.simulated = spec.account.simulated ?? false;
        await this.accountsRepo.save(em, existing);
        await this.audit.record(em, 'system', {
          tenantId,
          action: 'cloud-account.update',
          resourceType: 'cloud-account',
          resourceId: existing.id,
          after: { name: existing.name, settings: existing.settings, demo: true },
        });
      }
      if (!account) throw new Error(`demo account ${spec.account.name} vanished`);
      const found = await this.environments.resolve(scope, spec.environment.name, em).catch(() => undefined);
      if (!found) {
        const dto: CreateEnvironmentDto = {
          ...spec.environment,
          account: account.id,
          images: spec.images(images),
        };
        await this.environments.insert(em, 'system', account, dto);
      }
      return { account, environment: spec.environment.name };
    });
    // fresh inventory on every start: the worker fills instance types (and OpenStack's flavors)
    await this.checks.queueSync(account);
    this.logger.log(
      `demo cloud ${account.name}${account.simulated ? ' [SIMULATED]' : ''}: ${spec.endpoint}, environment ${environment}`,
    );
  }

  private async waitForTenant(): Promise<string> {
    for (let i = 0; i < 150; i++) {
      const tenant = await this.tenants.findByName(SYSTEM_SCOPE, DEFAULT_TENANT);
      if (tenant) return tenant.id;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`tenant ${DEFAULT_TENANT} does not exist`);
  }
}

function readCa(file: string | undefined): string | undefined {
  return file ? readFileSync(file, 'utf8') : undefined;
}

function readToken(file: string): string {
  return readFileSync(file, 'utf8').trim();
}
