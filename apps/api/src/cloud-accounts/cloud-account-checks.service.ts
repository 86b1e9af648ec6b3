import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloudAccountAdapters, isCloudError } from '@switchyard/cloud-adapters';
import { UnitOfWork, type CloudAccountEntity, type CloudAccountTest } from '@switchyard/core/database';
import { JobName, JobQueue } from '@switchyard/core/queue';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import type { CloudAccountSyncDto, CloudAccountTestDto } from './cloud-accounts.dto.js';
import { CloudAccountsRepository } from './cloud-accounts.repository.js';
import { CloudAccountsService } from './cloud-accounts.service.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { CloudSecretsService } from './cloud-secrets.service.js';
import { redactSecrets } from './redact-secrets.util.js';

// A test is interactive: an unreachable endpoint must fail in seconds, not after the SDK's minutes.
const TEST_LIMITS = { requestTimeoutMs: 4_000, maxAttempts: 2 } as const;
const TEST_DEADLINE_MS = 9_000;

/** Live checks of an account: the connection test, and queueing an inventory sync. */
@Injectable()
export class CloudAccountChecksService {
  private readonly logger = new Logger(CloudAccountChecksService.name);

  constructor(
    @Inject(CloudAccountsService) private readonly accounts: CloudAccountsService,
    @Inject(CloudAccountsRepository) private readonly repo: CloudAccountsRepository,
    @Inject(CloudSecretsService) private readonly secrets: CloudSecretsService,
    @Inject(CloudAccountAdapters) private readonly adapters: CloudAccountAdapters,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async test(caller: Principal, id: string): Promise<CloudAccountTestDto> {
    const account = await this.accounts.require(tenantScope(caller), id);
    const credentials = this.secrets.open(account);
    const verdict = await this.validate(account, credentials);
    await this.uow.run(async (em) => {
      const locked = await this.accounts.require(tenantScope(caller), id, em, true);
      locked.lastTest = verdict;
      await this.repo.save(em, locked);
      await this.audit.record(em, caller, {
        tenantId: account.tenantId,
        action: 'cloud-account.test',
        resourceType: 'cloud-account',
        resourceId: account.id,
        after: { lastTest: verdict },
      });
    });
    return verdict;
  }

  async sync(caller: Principal, id: string): Promise<CloudAccountSyncDto> {
    return this.uow.run(async (em) => {
      const account = await this.accounts.require(tenantScope(caller), id, em);
      const jobId = await this.queueSync(account);
      await this.audit.record(em, caller, {
        tenantId: account.tenantId,
        action: 'cloud-account.sync',
        resourceType: 'cloud-account',
        resourceId: account.id,
        after: { jobId },
      });
      return {
        accountId: account.id,
        jobId,
        status: 'queued' as const,
        syncedAt: account.syncedAt ? account.syncedAt.toISOString() : null,
      };
    });
  }

  /** Queues a sync; each request is its own job (the worker records every job id as done). */
  async queueSync(account: Pick<CloudAccountEntity, 'id' | 'tenantId'>): Promise<string> {
    return this.jobs.add(
      JobName.CloudAccountSync,
      { accountId: account.id, tenantId: account.tenantId },
      { jobId: `sync-${account.id}-${randomUUID()}` },
    );
  }

  private async validate(
    account: CloudAccountEntity,
    credentials: Record<string, unknown>,
  ): Promise<CloudAccountTest> {
    const started = performance.now();
    const at = new Date().toISOString();
    const latency = () => Math.round(performance.now() - started);
    const adapter = this.adapters.connect(account, credentials, TEST_LIMITS);
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${TEST_DEADLINE_MS / 1000} s`)),
          TEST_DEADLINE_MS,
        );
      });
      await Promise.race([adapter.validateCredentials(), deadline]);
      return { ok: true, at, latencyMs: latency(), message: 'The cloud accepted the credentials' };
    } catch (err) {
      const verdict: CloudAccountTest = isCloudError(err)
        ? {
            ok: false,
            at,
            latencyMs: latency(),
            message: redactSecrets(`${err.code}: ${err.cloudMessage}`, credentials),
            cloudCode: err.cloudCode,
          }
        : {
            ok: false,
            at,
            latencyMs: latency(),
            message: redactSecrets(err instanceof Error ? err.message : String(err), credentials),
          };
      this.logger.warn(`connection test of cloud account ${account.id} failed: ${verdict.message}`);
      return verdict;
    } finally {
      clearTimeout(timer);
      await adapter.close().catch(() => undefined);
    }
  }
}
