import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentPlan } from '@switchyard/blueprints';
import { DataSource } from 'typeorm';
import type { Principal } from '../../auth/principal.js';
import { AppException } from '../../common/app.exception.js';
import { accrued, moneyToCent, type PricedPlan } from '../../costs/deployment-cost.util.js';
import { DeploymentUsageRepository } from '../../costs/deployment-usage.repository.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { governedTenant } from '../governed-tenant.util.js';
import type { SpendReportDto, SpendReportQuery } from './budgets.dto.js';

// a report spans at most about ten years
const MAX_SPAN_MS = 3_660 * 86_400_000;

/**
 * What a tenant's deployments spent within a period, per environment or per blueprint: each
 * instance at its tier's price from its creation to its end, disks alone while stopped (the same
 * reckoning as the deployment's own cost and GET /spend).
 */
@Injectable()
export class SpendReportService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DeploymentUsageRepository) private readonly usage: DeploymentUsageRepository,
    @Inject(TenantsService) private readonly tenants: TenantsService,
  ) {}

  async report(caller: Principal, query: SpendReportQuery): Promise<SpendReportDto> {
    const tenant = await governedTenant(this.tenants, caller, query.tenant);
    const from = new Date(query.from);
    const asked = new Date(query.to);
    // what has not happened yet has not been spent
    const to = new Date(Math.min(asked.getTime(), Date.now()));
    const problems = [];
    if (Number.isNaN(from.getTime())) problems.push({ path: 'from', message: 'is not a date' });
    if (Number.isNaN(asked.getTime())) problems.push({ path: 'to', message: 'is not a date' });
    else if (asked <= from) problems.push({ path: 'to', message: 'must be after from' });
    else if (asked.getTime() - from.getTime() > MAX_SPAN_MS)
      problems.push({ path: 'to', message: 'the period may span at most ten years' });
    if (problems.length) throw AppException.invalid(problems);
    const groupBy = query.groupBy ?? 'environment';
    const rows = await this.db.query<{ id: string; plan: DeploymentPlan; blueprint: string }[]>(
      `SELECT d.id, d.plan, d.blueprint_name AS blueprint FROM deployments d
        WHERE d.tenant_id = $1 AND d.created_at < $3
          AND (d.ended_at IS NULL OR d.ended_at >= $2)
          AND EXISTS (SELECT 1 FROM deployment_instances i WHERE i.deployment_id = d.id)`,
      [tenant.id, from, to],
    );
    const usage = await this.usage.of(rows.map((r) => r.id));
    const sums = new Map<
      string,
      { currency: string; key: string; units: bigint; deployments: Set<string> }
    >();
    for (const d of rows) {
      const u = usage.get(d.id);
      if (!u) continue;
      const parts =
        groupBy === 'blueprint'
          ? [{ key: d.blueprint, tiers: d.plan.tiers }]
          : [...new Set(d.plan.tiers.map((t) => t.environment))].map((env) => ({
              key: env,
              tiers: d.plan.tiers.filter((t) => t.environment === env),
            }));
      for (const part of parts) {
        const priced: PricedPlan = { currency: d.plan.currency, tiers: part.tiers };
        const names = new Set(part.tiers.map((t) => t.tier));
        const units = accrued(
          priced,
          { ...u, instances: u.instances.filter((i) => names.has(i.tier)) },
          { from, to },
        );
        if (units === 0n) continue;
        const id = `${d.plan.currency} ${part.key}`;
        const sum = sums.get(id) ?? {
          currency: d.plan.currency,
          key: part.key,
          units: 0n,
          deployments: new Set(),
        };
        sum.units += units;
        sum.deployments.add(d.id);
        sums.set(id, sum);
      }
    }
    const sorted = [...sums.values()].sort(
      (a, b) => a.currency.localeCompare(b.currency) || a.key.localeCompare(b.key),
    );
    const totals = new Map<string, bigint>();
    for (const s of sorted) totals.set(s.currency, (totals.get(s.currency) ?? 0n) + s.units);
    return {
      tenant: tenant.name,
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      items: sorted.map((s) => ({
        key: s.key,
        spent: moneyToCent(s.units, s.currency),
        deployments: s.deployments.size,
      })),
      total: [...totals].map(([currency, units]) => moneyToCent(units, currency)),
      nextCursor: null,
    };
  }
}
