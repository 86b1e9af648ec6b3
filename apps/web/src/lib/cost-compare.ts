import type { Plan } from '../api/types';

export interface PricedPlan {
  environment: string;
  plan: Plan;
}

/**
 * The plans that compare: those in the currency most of them use (amounts in different currencies
 * do not compare).
 */
function comparable<T extends { plan: Plan }>(plans: T[]): T[] {
  const counts = new Map<string, number>();
  for (const p of plans) counts.set(p.plan.currency, (counts.get(p.plan.currency) ?? 0) + 1);
  const currency = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return plans.filter((p) => p.plan.currency === currency);
}

/** The environment whose plan costs least per month; ties go to the first. The API picks the same way. */
export function cheapestEnvironment(plans: PricedPlan[]): string | undefined {
  let best: PricedPlan | undefined;
  for (const p of comparable(plans)) {
    if (!best || Number(p.plan.total.monthly.amount) < Number(best.plan.total.monthly.amount)) best = p;
  }
  return best?.environment;
}

/**
 * Each tier on the environment where it costs least per month, as a placement the plan API takes;
 * undefined when one environment is cheapest for every tier (no mix saves anything).
 */
export function cheapestMix(
  plans: PricedPlan[],
): { default: string; tiers: Record<string, string> } | undefined {
  const candidates = comparable(plans);
  const base = cheapestEnvironment(candidates);
  if (!base) return undefined;
  const tiers: Record<string, string> = {};
  for (const tier of candidates[0]?.plan.tiers.map((t) => t.tier) ?? []) {
    let best: { environment: string; amount: number } | undefined;
    for (const { environment, plan } of candidates) {
      const t = plan.tiers.find((x) => x.tier === tier);
      const amount = t ? Number(t.total.monthly.amount) : Infinity;
      if (!best || amount < best.amount || (amount === best.amount && environment === base)) {
        best = { environment, amount };
      }
    }
    if (best && best.environment !== base) tiers[tier] = best.environment;
  }
  return Object.keys(tiers).length > 0 ? { default: base, tiers } : undefined;
}
