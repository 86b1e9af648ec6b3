import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  QUOTA_RESOURCES,
  costUnits,
  countUnits,
  quantity,
  shown,
  type QuotaAmounts,
  type QuotaResource,
} from './quota-amounts.js';

/** A quota row: the tenant's whole (environment '') or one environment's part; null: no limit. */
export interface QuotaLimits {
  environment: string;
  instances: number | null;
  vcpus: number | null;
  memoryMiB: number | null;
  monthlyCost: string | null;
  currency: string | null;
}

/** Why a reservation was refused: which quota, what is used, its limit and what was asked. */
export interface QuotaRefusal {
  /** null: the tenant's whole quota */
  environment: string | null;
  resource: QuotaResource;
  used: number | string;
  limit: number | string;
  needs: number | string;
  currency?: string;
  message: string;
}

/** Reserved amounts of a tenant per environment, this deployment's own apart. */
interface Held {
  environment: string;
  own: boolean;
  amounts: QuotaAmounts;
}

/**
 * What each deployment really holds now, per environment: its instances that exist (any state
 * but terminated or missing) at their tier's size and price in the deployment's plan. Quota
 * usage is meant to equal this whenever the deployment is at rest; `$1` null: every deployment.
 */
export const ACTUAL_USAGE_SQL = `
  SELECT d.id AS "deploymentId", d.tenant_id AS "tenantId", t.environment,
         count(*)::int AS instances, sum(t.cpu)::numeric(14, 3) AS vcpus, sum(t.memory)::bigint AS "memoryMiB",
         sum(t.monthly)::numeric(24, 10)::text AS "monthlyCost", d.plan->>'currency' AS currency
    FROM deployments d
   CROSS JOIN LATERAL (
         SELECT x->>'tier' AS tier, x->>'environment' AS environment,
                (x->'instanceType'->>'cpu')::numeric AS cpu, (x->'instanceType'->>'memoryMiB')::bigint AS memory,
                (x->'perInstance'->'monthly'->>'amount')::numeric AS monthly
           FROM jsonb_array_elements(d.plan->'tiers') x) t
    JOIN deployment_instances i
      ON i.deployment_id = d.id AND i.tier = t.tier AND i.state NOT IN ('terminated', 'missing')
   WHERE ($1::uuid IS NULL OR d.id = $1::uuid)
   GROUP BY d.id, d.tenant_id, t.environment, d.plan->>'currency'`;

/**
 * Quota reservations: one row per deployment and environment, written in the transaction that
 * changes the deployment. An order or a scale reserves what it will take after locking the
 * tenant's quota rows (so concurrent orders of one tenant take turns, others do not wait); a
 * deployment coming to rest (running, stopped, failed, terminated, a scale done or failed) has its
 * reservation set to what it really holds, which releases what a terminate, rollback, failure or
 * scale-down ended.
 */
@Injectable()
export class QuotaLedger {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * Reserves `need` (per environment) for the deployment, replacing what it held, unless that
   * takes a quota over its limit; then nothing is written and the refusals say why. Only a
   * resource that grows can be refused (a limit lowered below usage does not stop a scale-down).
   * `keepHeld`: never below what the deployment holds now (a scale, while instances come and go).
   */
  async reserve(
    em: EntityManager,
    tenantId: string,
    deploymentId: string,
    wanted: ReadonlyMap<string, QuotaAmounts>,
    options: { keepHeld?: boolean } = {},
  ): Promise<QuotaRefusal[]> {
    const need = options.keepHeld ? atLeast(wanted, await this.own(em, deploymentId)) : wanted;
    const refusals = await this.refusals(em, tenantId, deploymentId, need);
    if (refusals.length > 0) return refusals;
    await em.query(`DELETE FROM quota_reservations WHERE deployment_id = $1`, [deploymentId]);
    for (const [environment, a] of need) {
      if (a.instances === 0 && costUnits(a.monthlyCost) === 0n) continue;
      await em.query(
        `INSERT INTO quota_reservations
           (deployment_id, tenant_id, environment, instances, vcpus, memory_mib, monthly_cost, currency)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [deploymentId, tenantId, environment, a.instances, a.vcpus, a.memoryMiB, a.monthlyCost, a.currency],
      );
    }
    return [];
  }

  /**
   * What reserving `need` would be refused for, nothing written; the tenant's quota rows stay
   * locked until `em`'s transaction ends (a deployment not yet inserted is checked this way first).
   */
  async refusals(
    em: EntityManager,
    tenantId: string,
    deploymentId: string,
    need: ReadonlyMap<string, QuotaAmounts>,
  ): Promise<QuotaRefusal[]> {
    const limits = await lockLimits(em, tenantId, [...need.keys()]);
    if (limits.length === 0) return [];
    const held = await this.held(em, tenantId, deploymentId);
    return limits.flatMap((limit) => check(limit, held, need));
  }

  /** The deployment's reservation becomes what it really holds (ACTUAL_USAGE_SQL). */
  async settle(em: EntityManager, deploymentId: string): Promise<void> {
    await em.query(`DELETE FROM quota_reservations WHERE deployment_id = $1`, [deploymentId]);
    await em.query(
      `INSERT INTO quota_reservations
         (deployment_id, tenant_id, environment, instances, vcpus, memory_mib, monthly_cost, currency)
       SELECT "deploymentId", "tenantId", environment, instances, vcpus, "memoryMiB",
              "monthlyCost"::numeric, currency
         FROM (${ACTUAL_USAGE_SQL}) actual`,
      [deploymentId],
    );
  }

  /** What one deployment holds now, per environment. */
  private async own(em: EntityManager, deploymentId: string): Promise<Map<string, QuotaAmounts>> {
    const rows = await em.query<(QuotaAmounts & { environment: string })[]>(
      `SELECT environment, instances, vcpus::float8 AS vcpus, memory_mib::float8 AS "memoryMiB",
              monthly_cost::text AS "monthlyCost", currency
         FROM quota_reservations WHERE deployment_id = $1`,
      [deploymentId],
    );
    return new Map(rows.map(({ environment, ...a }) => [environment, { ...a, currency: a.currency.trim() }]));
  }

  /** The tenant's quotas (its whole and per environment), without locking. */
  limits(tenantId: string): Promise<QuotaLimits[]> {
    return readLimits(this.db.manager, tenantId, null, false);
  }

  /** What the tenant's deployments hold now, per environment and currency. */
  async usage(tenantId: string): Promise<Held[]> {
    return this.held(this.db.manager, tenantId, null);
  }

  private async held(em: EntityManager, tenantId: string, deploymentId: string | null): Promise<Held[]> {
    const rows = await em.query<
      (Omit<QuotaAmounts, 'memoryMiB' | 'instances' | 'vcpus'> & {
        environment: string;
        own: boolean;
        instances: string;
        vcpus: string;
        memoryMiB: string;
      })[]
    >(
      `SELECT environment, (deployment_id = $2::uuid) IS TRUE AS own, currency,
              sum(instances)::text AS instances, sum(vcpus)::text AS vcpus,
              sum(memory_mib)::text AS "memoryMiB", sum(monthly_cost)::text AS "monthlyCost"
         FROM quota_reservations WHERE tenant_id = $1
        GROUP BY environment, (deployment_id = $2::uuid) IS TRUE, currency`,
      [tenantId, deploymentId],
    );
    return rows.map((r) => ({
      environment: r.environment,
      own: r.own,
      amounts: {
        instances: Number(r.instances),
        vcpus: Number(r.vcpus),
        memoryMiB: Number(r.memoryMiB),
        monthlyCost: r.monthlyCost,
        currency: r.currency.trim(),
      },
    }));
  }
}

/** Per environment and resource, the larger of two amounts. */
function atLeast(
  wanted: ReadonlyMap<string, QuotaAmounts>,
  held: ReadonlyMap<string, QuotaAmounts>,
): Map<string, QuotaAmounts> {
  const out = new Map(wanted);
  for (const [environment, h] of held) {
    const w = out.get(environment);
    if (!w) {
      out.set(environment, h);
      continue;
    }
    const cost = costUnits(w.monthlyCost) > costUnits(h.monthlyCost) ? w.monthlyCost : h.monthlyCost;
    out.set(environment, {
      instances: Math.max(w.instances, h.instances),
      vcpus: Math.max(w.vcpus, h.vcpus),
      memoryMiB: Math.max(w.memoryMiB, h.memoryMiB),
      monthlyCost: cost,
      currency: w.currency,
    });
  }
  return out;
}

function lockLimits(em: EntityManager, tenantId: string, environments: string[]): Promise<QuotaLimits[]> {
  return readLimits(em, tenantId, ['', ...environments], true);
}

async function readLimits(
  em: EntityManager,
  tenantId: string,
  environments: string[] | null,
  lock: boolean,
): Promise<QuotaLimits[]> {
  // in one order, so that two transactions locking overlapping rows cannot deadlock
  const rows = await em.query<(QuotaLimits & { currency: string | null })[]>(
    `SELECT environment, max_instances AS instances, max_vcpus AS vcpus,
            max_memory_mib::float8 AS "memoryMiB", max_monthly_cost::text AS "monthlyCost", currency
       FROM quotas WHERE tenant_id = $1 AND ($2::text[] IS NULL OR environment = ANY($2::text[]))
      ORDER BY environment${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, environments],
  );
  return rows.map((r) => ({ ...r, currency: r.currency?.trim() ?? null }));
}

/** The refusals of one quota row for a deployment that would hold `need` instead of what it holds. */
function check(limit: QuotaLimits, held: Held[], need: ReadonlyMap<string, QuotaAmounts>): QuotaRefusal[] {
  const inScope = (environment: string) => limit.environment === '' || limit.environment === environment;
  const refusals: QuotaRefusal[] = [];
  for (const resource of QUOTA_RESOURCES) {
    const max = limitOf(limit, resource);
    if (max === null) continue;
    // the cost counts in the limit's currency; a need in another cannot be compared
    const counts = (a: QuotaAmounts) => resource !== 'monthlyCost' || a.currency === limit.currency;
    let used = 0n;
    let own = 0n;
    for (const h of held) {
      if (!inScope(h.environment) || !counts(h.amounts)) continue;
      used += quantity(h.amounts, resource);
      if (h.own) own += quantity(h.amounts, resource);
    }
    let wanted = 0n;
    for (const [environment, a] of need) {
      if (!inScope(environment)) continue;
      if (!counts(a)) {
        if (costUnits(a.monthlyCost) > 0n) refusals.push(otherCurrency(limit, a));
        continue;
      }
      wanted += quantity(a, resource);
    }
    const needs = wanted - own;
    if (needs > 0n && used + needs > max) refusals.push(refusal(limit, resource, used, max, needs));
  }
  return refusals;
}

function limitOf(limit: QuotaLimits, resource: QuotaResource): bigint | null {
  const value = limit[resource];
  if (value === null) return null;
  return resource === 'monthlyCost' ? costUnits(String(value)) : countUnits(resource, Number(value));
}

const RESOURCE_NAMES: Record<QuotaResource, string> = {
  instances: 'instances',
  vcpus: 'vCPUs',
  memoryMiB: 'memory (MiB)',
  monthlyCost: 'monthly cost',
};

function whose(limit: QuotaLimits): string {
  return limit.environment ? `the tenant's quota on ${limit.environment}` : `the tenant's quota`;
}

function refusal(
  limit: QuotaLimits,
  resource: QuotaResource,
  used: bigint,
  max: bigint,
  needs: bigint,
): QuotaRefusal {
  const currency = resource === 'monthlyCost' ? (limit.currency ?? undefined) : undefined;
  const unit = currency ? ` ${currency}` : '';
  const [u, l, n] = [used, max, needs].map((v) => shown(resource, v));
  return {
    environment: limit.environment || null,
    resource,
    used: u!,
    limit: l!,
    needs: n!,
    ...(currency ? { currency } : {}),
    message: `${RESOURCE_NAMES[resource]} over ${whose(limit)}: ${u}${unit} used of ${l}${unit}, this needs ${n}${unit} more`,
  };
}

function otherCurrency(limit: QuotaLimits, a: QuotaAmounts): QuotaRefusal {
  return {
    environment: limit.environment || null,
    resource: 'monthlyCost',
    used: '0.00',
    limit: limit.monthlyCost ?? '0.00',
    needs: a.monthlyCost,
    currency: a.currency,
    message: `monthly cost in ${a.currency} cannot be counted against ${whose(limit)} in ${limit.currency}`,
  };
}
