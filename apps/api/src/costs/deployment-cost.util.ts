import { parseDecimal, formatDecimal, HOURS_PER_MONTH, type TierPlan } from '@switchyard/blueprints';
import type { InstanceRowState } from '@switchyard/core/deployments';

/** An instance row as cost reads it. */
export interface UsedInstance {
  tier: string;
  state: InstanceRowState;
  createdAt: Date;
  /** For a terminated (or vanished) instance: when it ended. */
  updatedAt: Date;
}

/** A span of time; `to` null: still going. */
export interface Span {
  from: Date;
  to: Date | null;
}

/** What a deployment's cost follows: its instances, and when the deployment was stopped. */
export interface DeploymentUsage {
  instances: readonly UsedInstance[];
  /** While stopped, instances are billed for their disks only (no compute). */
  stopped: readonly Span[];
}

export const NO_USAGE: DeploymentUsage = { instances: [], stopped: [] };

/** The plan's part cost reads: per-instance prices of each tier, in one currency. */
export interface PricedPlan {
  currency: string;
  tiers: readonly Pick<TierPlan, 'tier' | 'instanceType' | 'perInstance'>[];
}

/** Exact decimal units of Money (see @switchyard/blueprints' money.util). */
type Units = bigint;

export interface Rate {
  hourly: Units;
  monthly: Units;
}

const ZERO: Rate = { hourly: 0n, monthly: 0n };
const UNIT = units('1');
const CENT = UNIT / 100n;
const MS_PER_HOUR = 3_600_000n;

// What a cloud bills an instance in each row state: compute and disk while it exists and runs (or
// is on its way up or down), disk alone while stopped, nothing once it is gone.
const BILLED: Record<InstanceRowState, 'all' | 'disk' | 'none'> = {
  planned: 'none',
  creating: 'all',
  pending: 'all',
  running: 'all',
  terminating: 'all',
  error: 'all',
  stopped: 'disk',
  terminated: 'none',
  missing: 'none',
};

function units(amount: string): Units {
  const value = parseDecimal(amount);
  if (value === undefined) throw new Error(`not a price: ${amount}`);
  return value;
}

/** A tier's price per instance: all of it, and its disks alone. */
function tierRates(tier: PricedPlan['tiers'][number]): { all: Rate; disk: Rate } {
  const all = {
    hourly: units(tier.perInstance.hourly.amount),
    monthly: units(tier.perInstance.monthly.amount),
  };
  const compute = units(tier.instanceType.hourlyPrice.amount);
  const positive = (u: Units) => (u > 0n ? u : 0n);
  return {
    all,
    disk: {
      hourly: positive(all.hourly - compute),
      monthly: positive(all.monthly - compute * HOURS_PER_MONTH),
    },
  };
}

function add(a: Rate, b: Rate): Rate {
  return { hourly: a.hourly + b.hourly, monthly: a.monthly + b.monthly };
}

/** Whether the cloud bills this instance now. */
export function isBilled(instance: Pick<UsedInstance, 'state'>): boolean {
  return BILLED[instance.state] !== 'none';
}

/** What the instances bill now, per hour and per month of 730 hours (exact, not rounded). */
export function runRate(plan: PricedPlan, instances: readonly UsedInstance[]): Rate {
  const rates = new Map(plan.tiers.map((t) => [t.tier, tierRates(t)]));
  return instances.reduce((sum, i) => {
    const billed = BILLED[i.state];
    const rate = rates.get(i.tier);
    return billed === 'none' || !rate ? sum : add(sum, rate[billed]);
  }, ZERO);
}

function overlapMs(a: { from: number; to: number }, b: { from: number; to: number }): bigint {
  return BigInt(Math.max(0, Math.min(a.to, b.to) - Math.max(a.from, b.from)));
}

/**
 * What the instances cost within `window` (from their creation to their end, or to `window.to`),
 * at their tier's price, disks alone while the deployment was stopped. Exact units.
 */
export function accrued(plan: PricedPlan, usage: DeploymentUsage, window: { from?: Date; to: Date }): Units {
  const rates = new Map(plan.tiers.map((t) => [t.tier, tierRates(t)]));
  const end = window.to.getTime();
  const start = window.from?.getTime() ?? 0;
  const stopped = usage.stopped.map((s) => ({ from: s.from.getTime(), to: s.to?.getTime() ?? end }));
  let total = 0n;
  for (const i of usage.instances) {
    const rate = rates.get(i.tier);
    if (!rate) continue;
    const ended = BILLED[i.state] === 'none' ? i.updatedAt.getTime() : end;
    const life = { from: Math.max(start, i.createdAt.getTime()), to: Math.min(end, ended) };
    if (life.to <= life.from) continue;
    const allMs = BigInt(life.to - life.from);
    const diskMs = stopped.reduce((ms, s) => ms + overlapMs(life, s), 0n);
    const computeMs = allMs > diskMs ? allMs - diskMs : 0n;
    total += (rate.all.hourly * computeMs + rate.disk.hourly * diskMs) / MS_PER_HOUR;
  }
  return total;
}

/** Units as Money, exact ("0.0416"). */
export function money(amount: Units, currency: string) {
  return { amount: formatDecimal(amount), currency };
}

/** Units as Money rounded half up to the cent ("12.30"): what has been spent. */
export function moneyToCent(amount: Units, currency: string) {
  return { amount: formatDecimal(((amount + CENT / 2n) / CENT) * CENT), currency };
}

/**
 * A deployment's cost as its answers show it: what its instances bill now (`hourly`, `monthly`),
 * and what they have cost so far.
 */
export function deploymentCost(plan: PricedPlan, usage: DeploymentUsage, now: Date) {
  const rate = runRate(plan, usage.instances);
  return {
    hourly: money(rate.hourly, plan.currency),
    monthly: money(rate.monthly, plan.currency),
    soFar: moneyToCent(accrued(plan, usage, { to: now }), plan.currency),
  };
}

/** A tier's part of the run rate: its instances billed now. */
export function tierCost(plan: PricedPlan, tier: string, instances: readonly UsedInstance[]) {
  const rate = runRate(
    plan,
    instances.filter((i) => i.tier === tier),
  );
  return { hourly: money(rate.hourly, plan.currency), monthly: money(rate.monthly, plan.currency) };
}
