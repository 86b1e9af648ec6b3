import {
  accrued,
  isBilled,
  money,
  moneyToCent,
  runRate,
  type PricedPlan,
  type Rate,
} from './deployment-cost.util.js';
import type { BilledDeployment } from './deployment-usage.repository.js';
import type { CurrencySpendDto, SpendDto } from './spend.dto.js';

const MS_PER_HOUR = 3_600_000n;

interface Totals {
  rate: Rate;
  monthToDate: bigint;
  total: bigint;
  instances: number;
}

const zero = (): Totals => ({ rate: { hourly: 0n, monthly: 0n }, monthToDate: 0n, total: 0n, instances: 0 });

function addTo(t: Totals, part: Totals): void {
  t.rate = { hourly: t.rate.hourly + part.rate.hourly, monthly: t.rate.monthly + part.rate.monthly };
  t.monthToDate += part.monthToDate;
  t.total += part.total;
  t.instances += part.instances;
}

interface CurrencyTotals extends Totals {
  deployments: number;
  environments: Map<string, Totals & { provider: string }>;
}

/**
 * The spend of `deployments` at `now`, per currency (price lists may differ): what their instances
 * bill now, what they cost this calendar month (UTC) and since they were made, and where.
 */
export function summarizeSpend(deployments: readonly BilledDeployment[], now: Date): SpendDto {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const byCurrency = new Map<string, CurrencyTotals>();
  for (const { plan, usage } of deployments) {
    const sums = byCurrency.get(plan.currency) ?? { ...zero(), deployments: 0, environments: new Map() };
    byCurrency.set(plan.currency, sums);
    let billedNow = 0;
    for (const environment of new Set(plan.tiers.map((t) => t.environment))) {
      const tiers = plan.tiers.filter((t) => t.environment === environment);
      const names = new Set(tiers.map((t) => t.tier));
      const part: PricedPlan = { currency: plan.currency, tiers };
      const instances = usage.instances.filter((i) => names.has(i.tier));
      const here: Totals = {
        rate: runRate(part, instances),
        monthToDate: accrued(part, usage, { from: monthStart, to: now }),
        total: accrued(part, usage, { to: now }),
        instances: instances.filter(isBilled).length,
      };
      billedNow += here.instances;
      addTo(sums, here);
      const env = sums.environments.get(environment) ?? { ...zero(), provider: tiers[0]!.provider };
      addTo(env, here);
      sums.environments.set(environment, env);
    }
    if (billedNow > 0) sums.deployments += 1;
  }
  const leftMs = BigInt(Math.max(0, monthEnd.getTime() - now.getTime()));
  const currencies = [...byCurrency]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]): CurrencySpendDto => ({
      currency,
      runRate: { hourly: money(t.rate.hourly, currency), monthly: money(t.rate.monthly, currency) },
      monthToDate: moneyToCent(t.monthToDate, currency),
      monthForecast: moneyToCent(t.monthToDate + (t.rate.hourly * leftMs) / MS_PER_HOUR, currency),
      total: moneyToCent(t.total, currency),
      deployments: t.deployments,
      instances: t.instances,
      byEnvironment: [...t.environments]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([environment, e]) => ({
          environment,
          provider: e.provider,
          instances: e.instances,
          runRate: { hourly: money(e.rate.hourly, currency), monthly: money(e.rate.monthly, currency) },
          monthToDate: moneyToCent(e.monthToDate, currency),
        })),
    }));
  return { asOf: now.toISOString(), monthStart: monthStart.toISOString(), currencies };
}
