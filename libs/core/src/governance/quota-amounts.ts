/** What a deployment takes in one environment, counted against quotas. */
export interface QuotaAmounts {
  instances: number;
  vcpus: number;
  memoryMiB: number;
  /** The instances' monthly price (730 hours), a decimal string in `currency`. */
  monthlyCost: string;
  currency: string;
}

/** The four things a quota limits, by the names the API and its errors use. */
export const QUOTA_RESOURCES = ['instances', 'vcpus', 'memoryMiB', 'monthlyCost'] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

// numeric(24, 10) in Postgres; exact units of 10^-10 here
const COST_DECIMALS = 10;
const COST_UNIT = 10n ** BigInt(COST_DECIMALS);
const DECIMAL = /^(\d{1,14})(?:\.(\d{1,10}))?$/;

/** A non-negative decimal string ("12.5", Postgres' "12.5000000000") as exact units. */
export function costUnits(amount: string): bigint {
  const m = DECIMAL.exec(amount);
  if (!m) throw new Error(`not a decimal amount: ${amount}`);
  return BigInt(m[1]!) * COST_UNIT + BigInt((m[2] ?? '').padEnd(COST_DECIMALS, '0'));
}

/** Units as a decimal string with at least two decimals and no trailing zeros beyond them. */
export function costText(units: bigint): string {
  const whole = units / COST_UNIT;
  const fraction = (units % COST_UNIT).toString().padStart(COST_DECIMALS, '0').replace(/0+$/, '');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

// vCPUs come in fractions (an instance type of a quarter vCPU): counted in thousandths
const VCPU_UNIT = 1000;

/** A count as exact units: vCPUs in thousandths, instances and MiB as they are. */
export function countUnits(resource: Exclude<QuotaResource, 'monthlyCost'>, value: number): bigint {
  return BigInt(Math.round(resource === 'vcpus' ? value * VCPU_UNIT : value));
}

/** Amounts as comparable numbers: the cost in units, vCPUs in thousandths. */
export function quantity(a: Pick<QuotaAmounts, QuotaResource>, resource: QuotaResource): bigint {
  return resource === 'monthlyCost' ? costUnits(a.monthlyCost) : countUnits(resource, a[resource]);
}

/** A quantity as the API shows it: counts as numbers, the cost as a decimal string. */
export function shown(resource: QuotaResource, value: bigint): number | string {
  if (resource === 'monthlyCost') return costText(value);
  return resource === 'vcpus' ? Number(value) / VCPU_UNIT : Number(value);
}

export const NO_AMOUNTS = (currency: string): QuotaAmounts => ({
  instances: 0,
  vcpus: 0,
  memoryMiB: 0,
  monthlyCost: '0',
  currency,
});

/** The part of a deployment plan quotas read: each tier's place, count, size and price. */
export interface QuotaPlan {
  currency: string;
  tiers: readonly {
    tier: string;
    environment: string;
    count: number;
    instanceType: { cpu: number; memoryMiB: number };
    perInstance: { monthly: { amount: string } };
  }[];
}

/**
 * What a plan takes per environment, each tier at `countOf(tier)` instances (its planned count
 * unless said otherwise: a scale asks for the larger of its old and new counts while it runs).
 */
export function planAmounts(
  plan: QuotaPlan,
  countOf: (tier: QuotaPlan['tiers'][number]) => number = (t) => t.count,
): Map<string, QuotaAmounts> {
  const byEnv = new Map<string, QuotaAmounts & { cost: bigint }>();
  for (const t of plan.tiers) {
    const n = countOf(t);
    const sum = byEnv.get(t.environment) ?? { ...NO_AMOUNTS(plan.currency), cost: 0n };
    sum.instances += n;
    sum.vcpus += n * t.instanceType.cpu;
    sum.memoryMiB += n * t.instanceType.memoryMiB;
    sum.cost += BigInt(n) * costUnits(t.perInstance.monthly.amount);
    byEnv.set(t.environment, sum);
  }
  return new Map(
    [...byEnv].map(([env, { cost, ...a }]) => [env, { ...a, monthlyCost: costText(cost) }] as const),
  );
}
