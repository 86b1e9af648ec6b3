import { Inject, Injectable } from '@nestjs/common';
import { CloudOrphanEntity, type CloudAccountEntity } from '@switchyard/core/database';
import type { DeploymentState } from '@switchyard/core/deployments';
import { DataSource } from 'typeorm';

/** Who owns an instance the cloud tagged as a deployment's, as the database says. */
export interface InstanceOwnership {
  /** The deployment's state, or null when no deployment has the tagged id. */
  state: DeploymentState | null;
  /** The deployment has a live instance row with this cloud id. */
  owned: boolean;
}

/** Orphans per cloud account: what the reconciler saw, and when it went. */
@Injectable()
export class CloudOrphansRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Seen now on the account (again, or for the first time). */
  async record(
    account: Pick<CloudAccountEntity, 'id' | 'tenantId'>,
    environment: string,
    instance: { id: string; name: string; state: string; tags: Record<string, string> },
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
        environment,
        instance.id,
        instance.name.slice(0, 255),
        instance.state,
        JSON.stringify(instance.tags),
        reason.slice(0, 200),
      ],
    );
  }

  /** The reconciler terminated it. */
  async markRemoved(accountId: string, cloudId: string): Promise<void> {
    await this.db.getRepository(CloudOrphanEntity).update({ accountId, cloudId }, { removedAt: new Date() });
  }

  /** Orphans the environment no longer lists since `seenBefore` are gone, whoever removed them. */
  async markGone(accountId: string, environment: string, seenBefore: Date): Promise<void> {
    await this.db
      .createQueryBuilder()
      .update(CloudOrphanEntity)
      .set({ removedAt: () => 'now()' })
      .where('account_id = :account AND environment = :env AND removed_at IS NULL AND last_seen_at < :at', {
        account: accountId,
        env: environment,
        at: seenBefore,
      })
      .execute();
  }

  /**
   * For each (tagged deployment id, cloud id), in order, who owns it. One query for all of them:
   * a sweep may list hundreds of instances.
   */
  async ownership(instances: { deploymentId: string; cloudId: string }[]): Promise<InstanceOwnership[]> {
    if (instances.length === 0) return [];
    const rows = await this.db.query<{ n: number; state: DeploymentState | null; owned: boolean }[]>(
      `SELECT q.n, d.state,
              EXISTS (SELECT 1 FROM deployment_instances i
                       WHERE i.deployment_id = d.id AND i.cloud_id = q.cloud_id AND i.state <> 'terminated')
                AS owned
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(deployment, cloud_id, n)
         LEFT JOIN deployments d ON d.id::text = q.deployment`,
      [instances.map((i) => i.deploymentId), instances.map((i) => i.cloudId)],
    );
    const byPosition = new Map(rows.map((r) => [Number(r.n) - 1, r]));
    return instances.map((_, i) => {
      const row = byPosition.get(i);
      return { state: row?.state ?? null, owned: row?.owned ?? false };
    });
  }
}
