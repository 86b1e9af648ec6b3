// Money is held as BigInt units of 10^-10, so prices with up to ten decimals
// multiply by hours, counts and GiB without any float drift.
export const MONEY_DECIMALS = 10;
const UNIT = 10n ** BigInt(MONEY_DECIMALS);

export interface Money {
  amount: string;
  currency: string;
}

const DECIMAL = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,10})?$/;

/** Parses a non-negative decimal string ("0.0416") into units; undefined when malformed. */
export function parseDecimal(text: string): bigint | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * UNIT + BigInt(fraction.padEnd(MONEY_DECIMALS, '0'));
}

/** Exact decimal text of units: trailing zeros trimmed, at least two decimals ("30.368", "12.50"). */
export function formatDecimal(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / UNIT;
  let fraction = (abs % UNIT).toString().padStart(MONEY_DECIMALS, '0').replace(/0+$/, '');
  fraction = fraction.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

// units / divisor rounded half up to `decimals` places (still in units).
export function divideRounded(units: bigint, divisor: bigint, decimals: number): bigint {
  const step = 10n ** BigInt(MONEY_DECIMALS - decimals);
  const denominator = divisor * step;
  const quotient = (units * 2n + denominator) / (2n * denominator);
  return quotient * step;
}

export function toMoney(units: bigint, currency: string): Money {
  return { amount: formatDecimal(units), currency };
}
