import type { Client } from '../../support/http.js';

/** What a tier asks for, as a person reads it off the blueprint (and its services' sizes). */
export interface TierNeed {
  tier: string;
  cpu: number;
  memoryMiB: number;
  count: number;
}

interface Offer {
  name: string;
  cpu: number;
  memoryMiB: number;
  hourlyPrice: string;
}

/**
 * The three-tier shop's tiers: db asks 2 cpu and 2048 MiB, app the same `appCount` times, web
 * 1 cpu and 1024 MiB; see libs/blueprints/catalog/three-tier-shop.yaml.
 */
export const shopTiers = (appCount = 2): TierNeed[] => [
  { tier: 'db', cpu: 2, memoryMiB: 2048, count: 1 },
  { tier: 'app', cpu: 2, memoryMiB: 2048, count: appCount },
  { tier: 'web', cpu: 1, memoryMiB: 1024, count: 1 },
];

const SCALE = 1_000_000n;
const HOURS_PER_MONTH = 730n;

function micros(decimal: string): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

/** `$12.35`: to the cent, half up, as the page's en-US currency format shows amounts of $1 or more. */
function dollars(amount: bigint): string {
  const cents = (amount + 5_000n) / 10_000n;
  const whole = (cents / 100n).toLocaleString('en-US');
  return `$${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** A tier's instance type, its size as the cost cards show it, and its monthly cost. */
export interface ExpectedTier {
  type: string;
  size: string;
  monthly: string;
}

/**
 * The monthly cost a person works out from the environments' price lists: for each tier the
 * cheapest instance type with enough cpu and memory, times 730 hours, times the count (these
 * price lists carry no storage price).
 */
export async function expectedMonthly(
  admin: Client,
  tiers: TierNeed[],
  environmentOf: (tier: string) => string,
): Promise<{ total: string; perTier: Record<string, ExpectedTier> }> {
  const lists = new Map<string, Offer[]>();
  let total = 0n;
  const perTier: Record<string, ExpectedTier> = {};
  for (const t of tiers) {
    const env = environmentOf(t.tier);
    if (!lists.has(env)) {
      const res = await admin.get(`/api/v1/environments/${env}`);
      if (res.status !== 200) throw new Error(`environment ${env}: HTTP ${res.status}`);
      lists.set(env, res.body.priceList.instanceTypes as Offer[]);
    }
    const fits = lists
      .get(env)!
      .filter((o) => o.cpu >= t.cpu && o.memoryMiB >= t.memoryMiB)
      .sort((a, b) => Number(micros(a.hourlyPrice) - micros(b.hourlyPrice)));
    const cheapest = fits[0];
    if (!cheapest) throw new Error(`no type in ${env} fits ${t.tier}`);
    const monthly = micros(cheapest.hourlyPrice) * HOURS_PER_MONTH * BigInt(t.count);
    perTier[t.tier] = {
      type: cheapest.name,
      size: `${cheapest.cpu} vCPU · ${cheapest.memoryMiB / 1024} GiB`,
      monthly: dollars(monthly),
    };
    total += monthly;
  }
  return { total: dollars(total), perTier };
}
