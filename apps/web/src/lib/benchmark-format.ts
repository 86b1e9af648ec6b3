/** Figures of a benchmark as the page and its charts print them (req/s to the unit, en-US groups). */
export const whole = (n: number | undefined | null): string =>
  n === undefined || n === null || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');

export const interval = (i: { low: number; high: number } | null | undefined): string =>
  i ? `${whole(i.low)}–${whole(i.high)}` : '—';

export const percent = (n: number | undefined | null, digits = 1): string =>
  n === undefined || n === null ? '—' : `${(n * 100).toFixed(digits)}%`;

/** "Nice" upper bound of an axis: 1, 2 or 5 times a power of ten, at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max) ?? 10;
  return step * power;
}
