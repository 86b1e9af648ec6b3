import { Inject, Injectable } from '@nestjs/common';
import {
  ACTUAL_USAGE_SQL,
  costText,
  costUnits,
  type QuotaAmounts,
  type QuotaLimits,
} from '@switchyard/core/governance';
import { DataSource, type EntityManager } from 'typeorm';

export interface QuotaRow extends QuotaLimits {
  updatedBy: string;
  updatedAt: Date;
}

export interface EnvironmentAmounts extends QuotaAmounts {
  environment: string;
}

// where a deployment stays until someone acts (rejected and expired: orders that waited for approval)
const REST_STATES = ['running', 'stopped', 'failed', 'terminated', 'rejected', 'expired'];

/** Quota rows of a tenant, and what its deployments reserve and hold. */
@Injectable()
export class QuotasRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  list(tenantId: string, em: EntityManager = this.db.manager): Promise<QuotaRow[]> {
    return em
      .query<QuotaRow[]>(
        `SELECT environment, max_instances AS instances, max_vcpus AS vcpus,
                max_memory_mib::float8 AS "memoryMiB", max_monthly_cost::text AS "monthlyCost",
                currency, updated_by AS "updatedBy", updated_at AS "updatedAt"
           FROM quotas WHERE tenant_id = $1 ORDER BY environment`,
        [tenantId],
      )
      .then((rows) =>
        rows.map((r) => ({
          ...r,
          monthlyCost: r.monthlyCost === null ? null : costText(costUnits(r.monthlyCost)),
          currency: r.currency?.trim() ?? null,
        })),
      );
  }

  /** The row, locked for the change (null when there is none). */
  async lock(em: EntityManager, tenantId: string, environment: string): Promise<QuotaRow | null> {
    await em.query(`SELECT 1 FROM quotas WHERE tenant_id = $1 AND environment = $2 FOR UPDATE`, [
      tenantId,
      environment,
    ]);
    return (await this.list(tenantId, em)).find((r) => r.environment === environment) ?? null;
  }

  async upsert(em: EntityManager, tenantId: string, row: QuotaLimits, by: string): Promise<void> {
    await em.query(
      `INSERT INTO quotas (tenant_id, environment, max_instances, max_vcpus, max_memory_mib,
                           max_monthly_cost, currency, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, environment) DO UPDATE SET
         max_instances = $3, max_vcpus = $4, max_memory_mib = $5, max_monthly_cost = $6,
         currency = $7, updated_by = $8, updated_at = date_trunc('milliseconds', now())`,
      [tenantId, row.environment, row.instances, row.vcpus, row.memoryMiB, row.monthlyCost, row.currency, by],
    );
  }

  async remove(em: EntityManager, tenantId: string, environment: string): Promise<void> {
    await em.query(`DELETE FROM quotas WHERE tenant_id = $1 AND environment = $2`, [tenantId, environment]);
  }

  /** Whether the tenant sees an environment of that name (its own, or a shared one). */
  async environmentVisible(tenantId: string, name: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM environments WHERE name = $1 AND (tenant_id = $2 OR shared) LIMIT 1`,
      [name, tenantId],
    );
    return rows.length > 0;
  }

  /** What the tenant's deployments reserve, per environment and currency. */
  reserved(tenantId: string): Promise<EnvironmentAmounts[]> {
    return this.amounts(
      `SELECT environment, currency, sum(instances)::int AS instances, sum(vcpus)::float8 AS vcpus,
              sum(memory_mib)::float8 AS "memoryMiB", sum(monthly_cost)::text AS "monthlyCost"
         FROM quota_reservations WHERE tenant_id = $1 GROUP BY environment, currency`,
      [tenantId],
    );
  }

  /** What the tenant's deployments hold (their instances that exist), per environment and currency. */
  running(tenantId: string): Promise<EnvironmentAmounts[]> {
    return this.amounts(
      `SELECT environment, currency, sum(instances)::int AS instances, sum(vcpus)::float8 AS vcpus,
              sum("memoryMiB")::float8 AS "memoryMiB", sum("monthlyCost"::numeric)::text AS "monthlyCost"
         FROM (${ACTUAL_USAGE_SQL}) actual WHERE "tenantId" = $2 GROUP BY environment, currency`,
      [null, tenantId],
    );
  }

  /** Deployments at rest whose reservation is not what they hold. */
  async mismatched(tenantId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      `WITH actual AS (${ACTUAL_USAGE_SQL}),
            reserved AS (SELECT r.* FROM quota_reservations r WHERE r.tenant_id = $2)
       SELECT count(DISTINCT d.id)::int AS n
         FROM deployments d
         JOIN (SELECT COALESCE(r.deployment_id, a."deploymentId") AS id
                 FROM reserved r FULL JOIN actual a
                   ON a."deploymentId" = r.deployment_id AND a.environment = r.environment
                WHERE (a."tenantId" IS NULL OR a."tenantId" = $2)
                  AND (r.instances IS DISTINCT FROM a.instances OR r.vcpus IS DISTINCT FROM a.vcpus
                    OR r.memory_mib IS DISTINCT FROM a."memoryMiB"
                    OR r.monthly_cost IS DISTINCT FROM a."monthlyCost"::numeric)) off ON off.id = d.id
        WHERE d.tenant_id = $2 AND d.state = ANY($3::text[])`,
      [null, tenantId, REST_STATES],
    );
    return row?.n ?? 0;
  }

  private async amounts(sql: string, params: unknown[]): Promise<EnvironmentAmounts[]> {
    const rows = await this.db.query<EnvironmentAmounts[]>(sql, params);
    return rows.map((r) => ({ ...r, currency: r.currency.trim() }));
  }
}
