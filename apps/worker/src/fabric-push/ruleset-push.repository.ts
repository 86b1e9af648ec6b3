import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A Linux-host instance of a tenant that can take a ruleset (running or stopped on its host). */
export interface PushTarget {
  id: string;
  deploymentId: string;
  tier: string;
  index: number;
  environment: string;
  cloudId: string;
  address: string;
  rulesetEtag: string | null;
}

/**
 * The durable side of the ruleset push: `fabric_policy_changes` rows (written by the fabric tables'
 * trigger in the changing transaction, see migration FabricRulesetPush) and each instance's
 * `ruleset_etag`. Every method takes the tenant: a push never reads or touches another tenant's.
 */
@Injectable()
export class RulesetPushRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** The tenants with changes not yet pushed. */
  async pendingTenants(): Promise<string[]> {
    const rows = (await this.db.query(`SELECT DISTINCT tenant_id AS id FROM fabric_policy_changes`)) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** The newest change row of the tenant (its id), or undefined when none is left. */
  async lastChange(tenantId: string): Promise<string | undefined> {
    const [row] = (await this.db.query(
      `SELECT max(id)::text AS id FROM fabric_policy_changes WHERE tenant_id = $1`,
      [tenantId],
    )) as { id: string | null }[];
    return row?.id ?? undefined;
  }

  /** The changes up to `upTo` are in every instance's ruleset: forgotten. */
  async pushed(tenantId: string, upTo: string): Promise<void> {
    await this.db.query(`DELETE FROM fabric_policy_changes WHERE tenant_id = $1 AND id <= $2`, [
      tenantId,
      upTo,
    ]);
  }

  /** Asks for a push of the tenant's rulesets (an instance came up and may have booted with an old one). */
  async due(tenantId: string, em?: EntityManager): Promise<void> {
    await (em ?? this.db.manager).query(
      `INSERT INTO fabric_policy_changes (tenant_id) VALUES ($1) ON CONFLICT (tenant_id, tx) DO NOTHING`,
      [tenantId],
    );
  }

  /** The tenant's Linux-host instances that exist on their host with an address. */
  targets(tenantId: string): Promise<PushTarget[]> {
    return this.db.query(
      `SELECT i.id, i.deployment_id AS "deploymentId", i.tier, i.index, i.environment,
              i.cloud_id AS "cloudId", i.address, i.ruleset_etag AS "rulesetEtag"
         FROM deployment_instances i JOIN deployments d ON d.id = i.deployment_id
        WHERE d.tenant_id = $1 AND i.provider = 'linux-host' AND i.state IN ('running', 'stopped')
          AND i.cloud_id IS NOT NULL AND i.address IS NOT NULL
        ORDER BY i.environment, i.deployment_id, i.tier, i.index`,
      [tenantId],
    );
  }

  /** The instance holds the ruleset with this ETag now. */
  async loaded(tenantId: string, instanceId: string, etag: string): Promise<void> {
    await this.db.query(
      `UPDATE deployment_instances i SET ruleset_etag = $3
         FROM deployments d
        WHERE i.id = $2 AND d.id = i.deployment_id AND d.tenant_id = $1`,
      [tenantId, instanceId, etag],
    );
  }

  /**
   * Runs `fn` while this process holds the tenant's push lock (one push of a tenant at a time,
   * whatever the number of workers); answers false without running it when another holds it.
   */
  async exclusively(tenantId: string, fn: () => Promise<void>): Promise<boolean> {
    const lock = this.db.createQueryRunner();
    await lock.connect();
    try {
      const key = `switchyard:ruleset-push:${tenantId}`;
      const [row] = (await lock.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS got`, [key])) as {
        got: boolean;
      }[];
      if (!row?.got) return false;
      try {
        await fn();
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
      }
      return true;
    } finally {
      await lock.release();
    }
  }
}
