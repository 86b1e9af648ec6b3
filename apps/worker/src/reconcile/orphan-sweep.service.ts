import { Inject, Injectable, Logger } from '@nestjs/common';
import { TAG_DEPLOYMENT, type CloudInstance } from '@switchyard/cloud-adapters';
import type { EnvironmentEntity } from '@switchyard/core/database';
import { isSettled } from '@switchyard/core/deployments';
import { CloudAccountsRepository } from '../clouds/cloud-accounts.repository.js';
import { CloudAccessService } from '../deploy/cloud-access.service.js';
import { CloudOrphansRepository } from './cloud-orphans.repository.js';
import { RECONCILE_LIMITS } from './reconcile-limits.js';

/** What the sweep did on one environment. */
export interface SweepResult {
  environment: string;
  orphans: number;
  removed: number;
}

/**
 * Finds instances tagged as Switchyard's that no deployment owns, on every environment, and
 * records them per cloud account; where the account allows it, terminates them.
 *
 * An instance is owned while a deployment's instance row carries its cloud id. Instances of a
 * deployment that is still working (provisioning, scaling, rolling back…) are left alone: their
 * ids are recorded only once the cloud answered the create.
 */
@Injectable()
export class OrphanSweep {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(CloudAccountsRepository) private readonly accounts: CloudAccountsRepository,
    @Inject(CloudOrphansRepository) private readonly orphans: CloudOrphansRepository,
    @Inject(CloudAccessService) private readonly clouds: CloudAccessService,
  ) {}

  async run(): Promise<SweepResult[]> {
    const environments = await this.accounts.allEnvironments();
    const results: SweepResult[] = [];
    for (const env of environments) {
      try {
        results.push(await this.sweep(env));
      } catch (err) {
        this.logger.warn({ environment: env.name, err: (err as Error).message }, 'orphan sweep skipped');
      }
    }
    return results;
  }

  private async sweep(env: EnvironmentEntity): Promise<SweepResult> {
    const account = await this.accounts.accountOf(env);
    const startedAt = new Date();
    const orphans: { instance: CloudInstance; reason: string }[] = [];
    let removed = 0;
    await this.clouds.withEnvironments(
      env.tenantId,
      [env.name],
      async (access) => {
        const adapter = access.get(env.name)!.adapter;
        const managed = await adapter.listManagedInstances();
        const reasons = await this.orphanReasons(managed);
        managed.forEach((instance, i) => {
          const reason = reasons[i];
          if (reason) orphans.push({ instance, reason });
        });
        for (const { instance, reason } of orphans) {
          await this.orphans.record(account, env.name, instance, reason);
          if (!account.removeOrphans) continue;
          await adapter.terminateInstance(instance.id);
          removed++;
          await this.orphans.markRemoved(account.id, instance.id);
          this.logger.log(
            { account: account.name, environment: env.name, cloudId: instance.id, reason },
            'orphan terminated',
          );
        }
      },
      undefined,
      RECONCILE_LIMITS,
    );
    // an orphan this environment no longer lists is gone, whoever removed it
    await this.orphans.markGone(account.id, env.name, startedAt);
    return { environment: env.name, orphans: orphans.length, removed };
  }

  /** For each instance, why it belongs to no deployment, or undefined when one owns it (or may soon). */
  private async orphanReasons(instances: CloudInstance[]): Promise<(string | undefined)[]> {
    const owners = await this.orphans.ownership(
      instances.map((i) => ({ deploymentId: i.tags[TAG_DEPLOYMENT] ?? '', cloudId: i.id })),
    );
    return instances.map((instance, i) => {
      const { state, owned } = owners[i]!;
      const deploymentId = instance.tags[TAG_DEPLOYMENT] ?? '';
      if (!state) return `no deployment ${deploymentId || '(empty tag)'}`;
      if (owned || !isSettled(state)) return undefined;
      if (state === 'terminated' || state === 'failed') return `deployment ${deploymentId} ended (${state})`;
      return `not an instance of deployment ${deploymentId}`;
    });
  }
}
