import type { BenchmarkSlo, CandidateResult, RunFigures } from '../benchmark.types.js';
import { median, scaleInterval, summarizeRuns } from './summary.util.js';

const HOURS_PER_MONTH = 730;

/**
 * A candidate's results from its runs and its hourly cost (the planner's figure, a decimal
 * string): throughput centre and interval, latency (the median over runs of each run's
 * percentile), error rate over every request, and price/performance.
 */
export function candidateResult(
  runs: readonly RunFigures[],
  cost: { hourly: string; currency: string },
  slo: BenchmarkSlo,
): CandidateResult {
  const throughput = summarizeRuns(runs.map((r) => r.throughput));
  const latencyMs = {
    p50: median(runs.map((r) => r.latencyMs.p50)),
    p95: median(runs.map((r) => r.latencyMs.p95)),
    p99: median(runs.map((r) => r.latencyMs.p99)),
  };
  const requests = runs.reduce((a, r) => a + r.requests, 0);
  const errors = runs.reduce((a, r) => a + r.errors, 0);
  const errorRate = requests > 0 ? errors / requests : 0;
  const hourly = Number(cost.hourly);
  const perDollarHour =
    hourly > 0
      ? {
          mean: throughput.mean / hourly,
          interval: throughput.interval ? scaleInterval(throughput.interval, 1 / hourly) : null,
        }
      : { mean: Number.POSITIVE_INFINITY, interval: null };
  const perMillionRequests = throughput.mean > 0 ? (hourly / (throughput.mean * 3600)) * 1e6 : Number.NaN;
  const checks: boolean[] = [];
  if (slo.p95Ms !== undefined) checks.push(latencyMs.p95 <= slo.p95Ms);
  if (slo.maxErrorRate !== undefined) checks.push(errorRate <= slo.maxErrorRate);
  return {
    throughput,
    latencyMs,
    errorRate,
    cost: { hourly: cost.hourly, monthly: (hourly * HOURS_PER_MONTH).toFixed(2), currency: cost.currency },
    perDollarHour,
    perMillionRequests,
    sloMet: checks.length ? checks.every(Boolean) : null,
  };
}
