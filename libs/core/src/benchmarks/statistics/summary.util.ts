import { studentTQuantile } from './student-t.util.js';

/** A closed interval; `low` ≤ `high`. */
export interface Interval {
  low: number;
  high: number;
}

/** What repeated runs of one figure say: centre, spread and the mean's confidence interval. */
export interface RunSummary {
  n: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n − 1); 0 for a single run. */
  stdDev: number;
  /** stdDev / mean; null when the mean is 0. */
  coefficientOfVariation: number | null;
  /** The mean's interval at `confidence` (Student's t, n − 1 df); null below two runs. */
  interval: Interval | null;
  confidence: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The nearest-rank percentile (0 < q ≤ 100) of `values`: the smallest value with q% at or below it. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Mean, median, spread and the two-sided confidence interval of the mean over runs. */
export function summarizeRuns(values: readonly number[], confidence = 0.95): RunSummary {
  const n = values.length;
  if (n === 0) throw new RangeError('no runs to summarize');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  const stdDev = Math.sqrt(variance);
  let interval: Interval | null = null;
  if (n > 1) {
    const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (stdDev / Math.sqrt(n));
    interval = { low: mean - half, high: mean + half };
  }
  return {
    n,
    mean,
    median: median(values),
    stdDev,
    coefficientOfVariation: mean === 0 ? null : stdDev / mean,
    interval,
    confidence,
  };
}

/** Whether two intervals share a point (then their difference is not significant). */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.low <= b.high && b.low <= a.high;
}

/** An interval multiplied by a positive constant (e.g. throughput per dollar-hour). */
export function scaleInterval(i: Interval, factor: number): Interval {
  return { low: i.low * factor, high: i.high * factor };
}
