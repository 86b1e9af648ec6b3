import { Inject, Injectable } from '@nestjs/common';
import {
  CloudAccountAdapters,
  defaultVsphereSizes,
  type CloudAdapter,
  type CloudProvider,
  type ConnectionLimits,
} from '@switchyard/cloud-adapters';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import type { EnvironmentEntity } from '@switchyard/core/database';
import { CloudAccountsRepository } from '../clouds/cloud-accounts.repository.js';
import { CloudMeter } from './cloud-meter.util.js';

/**
 * Per-call timeout and retries. The worker's config (CLOUD_REQUEST_TIMEOUT_MS, CLOUD_RETRY_*) sets
 * them for every step; callers that must not wait long (the reconciler) narrow them.
 */
export type CallLimits = ConnectionLimits;

export interface CloudAccess {
  environment: EnvironmentEntity;
  provider: CloudProvider;
  adapter: CloudAdapter;
}

/** Opens an environment's cloud account (CloudAccountAdapters decrypts, in memory only). */
@Injectable()
export class CloudAccessService {
  private readonly limits: CallLimits;

  constructor(
    @Inject(CloudAccountsRepository) private readonly accounts: CloudAccountsRepository,
    @Inject(CloudAccountAdapters) private readonly adapters: CloudAccountAdapters,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const { cloudRequestTimeoutMs, cloudRetry } = config.worker;
    this.limits = {
      ...(cloudRequestTimeoutMs ? { requestTimeoutMs: cloudRequestTimeoutMs } : {}),
      ...cloudRetry,
    };
  }

  /** The environment as the tenant may use it (its own or a shared one), with a fresh adapter. */
  async open(tenantId: string, environmentName: string, limits?: CallLimits): Promise<CloudAccess> {
    const found = await this.accounts.environment(tenantId, environmentName);
    if (!found) throw new Error(`environment "${environmentName}" is gone`);
    const { environment, account } = found;
    // the environment narrows the account: its region, VPC or vSphere placement, and its sizes
    const listed = environment.priceList.instanceTypes;
    const sizes = listed.length ? listed : (account.inventory?.instanceTypes ?? defaultVsphereSizes);
    const adapter = this.adapters.openInEnvironment(
      account,
      { region: environment.region, placement: environment.placement, sizes },
      { ...this.limits, ...limits },
    );
    return { environment, provider: account.provider, adapter };
  }

  /** Opens each environment once for the duration of `fn`, and closes the sessions after. */
  async withEnvironments<T>(
    tenantId: string,
    names: string[],
    fn: (access: Map<string, CloudAccess>) => Promise<T>,
    meter?: CloudMeter,
    limits?: CallLimits,
  ): Promise<T> {
    const access = new Map<string, CloudAccess>();
    try {
      for (const name of new Set(names)) {
        const opened = await this.open(tenantId, name, limits);
        access.set(name, meter ? { ...opened, adapter: meter.wrap(opened.adapter) } : opened);
      }
      return await fn(access);
    } finally {
      await Promise.all([...access.values()].map((a) => a.adapter.close().catch(() => undefined)));
    }
  }
}
