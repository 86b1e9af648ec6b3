import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloudAccountAdapters, isCloudError, isRetryableCloudError } from '@switchyard/cloud-adapters';
import type { CloudInventory } from '@switchyard/core/database';
import { JobName, type JobPayloads } from '@switchyard/core/queue';
import { HandlesJob, RetryLater, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { CloudAccountsRepository } from './cloud-accounts.repository.js';

// A sync is background work: longer per-call timeouts than the interactive test, a few retries.
const SYNC_LIMITS = { requestTimeoutMs: 20_000, maxAttempts: 3 } as const;

/** Reads regions, instance types and images from the account's cloud into `inventory`. */
@Injectable()
@HandlesJob(JobName.CloudAccountSync)
export class CloudAccountSyncHandler implements JobHandler<JobName.CloudAccountSync> {
  private readonly logger = new Logger(CloudAccountSyncHandler.name);

  constructor(
    @Inject(CloudAccountsRepository) private readonly accounts: CloudAccountsRepository,
    @Inject(CloudAccountAdapters) private readonly adapters: CloudAccountAdapters,
  ) {}

  async handle(payload: JobPayloads[JobName.CloudAccountSync], ctx: JobContext): Promise<void> {
    const account = await this.accounts.find(payload.tenantId, payload.accountId);
    // deleted since: nothing to sync, and repeating the job changes nothing
    if (!account) return;
    // CredentialsUnreadable names only the account and key id: safe for the job's failure reason
    const adapter = this.adapters.open(account, SYNC_LIMITS);
    let inventory: CloudInventory;
    try {
      const [regions, instanceTypes, images] = await Promise.all([
        adapter.listRegions(),
        adapter.listInstanceTypes(),
        adapter.listImages(),
      ]);
      inventory = {
        regions: regions.map(({ id, name }) => ({ id, name })),
        instanceTypes: instanceTypes.map(({ name, cpu, memoryMiB }) => ({ name, cpu, memoryMiB })),
        images: images.map(({ id, name }) => ({ id, name })),
      };
    } catch (err) {
      // only the message goes on: an SDK error as `cause` may carry request details to the log
      if (isRetryableCloudError(err)) throw new RetryLater(`cloud account ${account.id}: ${err.message}`);
      // eslint-disable-next-line preserve-caught-error -- deliberately without the SDK error (see above)
      if (isCloudError(err)) throw new Error(`cloud account ${account.id}: ${err.message}`);
      throw err;
    } finally {
      await adapter.close().catch(() => undefined);
    }
    // the latest of several queued syncs wins; each one writes a complete picture
    await ctx.commit((em) => this.accounts.setInventory(em, account, inventory));
    this.logger.log(
      `cloud account ${account.id} synced: ${inventory.regions.length} regions, ` +
        `${inventory.instanceTypes.length} instance types, ${inventory.images.length} images`,
    );
  }
}
