import { Inject, Injectable, Logger } from '@nestjs/common';
import { TAG_DEPLOYMENT, type CloudInstance } from '@switchyard/cloud-adapters';
import { CloudAccountEntity, CloudOrphanEntity, EnvironmentEntity, isSettled } from '@switchyard/core';
import { DataSource } from 'typeorm';
import { CloudAccessService } from '../deploy/cloud-access.service.js';
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
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(CloudAccessService) private readonly clouds: CloudAccessService,
  ) {}

  async run(): Promise<SweepResult[]> {
    const environments = await this.db.getRepository(EnvironmentEntity).find({ order: { name: 'ASC' } });
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
    const account = await this.db.getRepository(CloudAccountEntity).findOneByOrFail({ id: env.accountId });
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
          await this.record(account, env, instance, reason);
          if (!account.removeOrphans) continue;
          await adapter.terminateInstance(instance.id);
          removed++;
          await this.db
            .getRepository(CloudOrphanEntity)
            .update({ accountId: account.id, cloudId: instance.id }, { removedAt: new Date() });
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
    await this.db
      .createQueryBuilder()
      .update(CloudOrphanEntity)
      .set({ removedAt: () => 'now()' })
      .where('account_id = :account AND environment = :env AND removed_at IS NULL AND last_seen_at < :at', {
        account: account.id,
        env: env.name,
        at: startedAt,
      })
      .execute();
    return { environment: env.name, orphans: orphans.length, removed };
  }

  /**
   * For each instance, why it belongs to no deployment, or undefined when one owns it (or may
   * soon). One query for all of them: a sweep may list hundreds of instances.
   */
  private async orphanReasons(instances: CloudInstance[]): Promise<(string | undefined)[]> {
    if (instances.length === 0) return [];
    const rows = await this.db.query<{ n: number; state: string | null; owned: boolean }[]>(
      `SELECT q.n, d.state,
              EXISTS (SELECT 1 FROM deployment_instances i
                       WHERE i.deployment_id = d.id AND i.cloud_id = q.cloud_id AND i.state <> 'terminated')
                AS owned
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(deployment, cloud_id, n)
         LEFT JOIN deployments d ON d.id::text = q.deployment`,
      [instances.map((i) => i.tags[TAG_DEPLOYMENT] ?? ''), instances.map((i) => i.id)],
    );
    const byPosition = new Map(rows.map((r) => [Number(r.n) - 1, r]));
    return instances.map((instance, i) => {
      const row = byPosition.get(i);
      const deploymentId = instance.tags[TAG_DEPLOYMENT] ?? '';
      if (!row?.state) return `no deployment ${deploymentId || '(empty tag)'}`;
      if (row.owned || !isSettled(row.state as never)) return undefined;
      if (row.state === 'terminated' || row.state === 'failed')
        return `deployment ${deploymentId} ended (${row.state})`;
      return `not an instance of deployment ${deploymentId}`;
    });
  }

  private async record(
    account: CloudAccountEntity,
    env: EnvironmentEntity,
    instance: CloudInstance,
    reason: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO cloud_orphans (tenant_id, account_id, environment, cloud_id, name, state, tags, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (account_id, cloud_id) DO UPDATE
          SET last_seen_at = now(), state = EXCLUDED.state, reason = EXCLUDED.reason,
              environment = EXCLUDED.environment, removed_at = NULL`,
      [
        account.tenantId,
        account.id,
        env.name,
        instance.id,
        instance.name.slice(0, 255),
        instance.state,
        JSON.stringify(instance.tags),
        reason.slice(0, 200),
      ],
    );
  }
}
