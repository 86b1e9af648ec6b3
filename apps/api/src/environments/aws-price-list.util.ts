import type { PriceList } from '@switchyard/core/database';

/**
 * The default price list of AWS environments: on-demand Linux list prices of common EC2 types,
 * per hour in USD, and gp3 storage per GiB-month, as AWS published them on the date below.
 * A dated snapshot, not a live feed: admins edit an environment's price list when it matters.
 */
export const AWS_PRICES_DATE = '2025-01-15';
// the date is the price list's own field, not part of its source
export const AWS_PRICES_SOURCE = 'AWS EC2 on-demand Linux list prices (shipped table)';

// [name, vCPUs, memory MiB, us-east-1, eu-west-1]
const TYPES: readonly (readonly [string, number, number, string, string])[] = [
  ['t3.micro', 2, 1024, '0.0104', '0.0114'],
  ['t3.small', 2, 2048, '0.0208', '0.0228'],
  ['t3.medium', 2, 4096, '0.0416', '0.0456'],
  ['t3.large', 2, 8192, '0.0832', '0.0912'],
  ['m5.large', 2, 8192, '0.096', '0.107'],
  ['m5.xlarge', 4, 16384, '0.192', '0.214'],
  // the larger m5 sizes let the demo catalog's big tiers (HPC, analytics) plan on AWS too
  ['m5.2xlarge', 8, 32768, '0.384', '0.428'],
  ['m5.4xlarge', 16, 65536, '0.768', '0.856'],
  ['c5.large', 2, 4096, '0.085', '0.096'],
  ['r5.large', 2, 16384, '0.126', '0.141'],
];

const STORAGE = { 'us-east-1': '0.08', 'eu-west-1': '0.088' } as const;

export const AWS_PRICE_REGIONS = Object.keys(STORAGE) as (keyof typeof STORAGE)[];

/** The shipped price list for an AWS region, or undefined when the table has none for it. */
export function defaultAwsPriceList(region: string): PriceList | undefined {
  const column = region === 'us-east-1' ? 3 : region === 'eu-west-1' ? 4 : undefined;
  if (column === undefined) return undefined;
  return {
    currency: 'USD',
    source: AWS_PRICES_SOURCE,
    date: AWS_PRICES_DATE,
    instanceTypes: TYPES.map((t) => ({ name: t[0], cpu: t[1], memoryMiB: t[2], hourlyPrice: t[column] })),
    storageGiBMonthPrice: STORAGE[region as keyof typeof STORAGE],
  };
}
