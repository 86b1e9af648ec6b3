import type { Money } from '../api/types';

// Every estimate on a page shows money to the cent and hourly rates to 4 decimals, whatever the amount.
const CENTS = 2;
const RATE_DECIMALS = 4;

function fixed(m: Money | undefined | null, decimals: number): string {
  if (!m) return '—';
  const n = Number(m.amount);
  if (!Number.isFinite(n)) return `${m.amount} ${m.currency}`;
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: m.currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(n);
  } catch {
    return `${n.toFixed(decimals)} ${m.currency}`;
  }
}

/** An amount of money to the cent: "$1,234.50". */
export const cents = (m: Money | undefined | null): string => fixed(m, CENTS);

/** An hourly rate, always with the same number of decimals: "$0.0416". */
export const hourlyRate = (m: Money | undefined | null): string => fixed(m, RATE_DECIMALS);

/** An instance size as people compare them: "2 vCPU · 4 GiB". */
export function sizeText(cpu: number, memoryMiB: number): string {
  const gib = Math.round((memoryMiB / 1024) * 100) / 100;
  return `${cpu} vCPU · ${gib} GiB`;
}
