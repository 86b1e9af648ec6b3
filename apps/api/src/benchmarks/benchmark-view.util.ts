import type {
  BenchmarkCandidateEntity,
  BenchmarkEntity,
  BenchmarkRunEntity,
  RunFigures,
} from '@switchyard/core/benchmarks';
import type { BenchmarkCandidateDto, BenchmarkDto, BenchmarkSampleDto } from './benchmark-responses.dto.js';

const HOURS_PER_MONTH = 730;

export function toCandidate(c: BenchmarkCandidateEntity, runs: RunFigures[]): BenchmarkCandidateDto {
  return {
    position: c.position,
    label: c.label,
    placement: c.placement,
    instanceTypes: c.instanceTypes,
    environments: c.environments,
    state: c.state,
    step: c.step,
    runsDone: runs.length,
    deploymentId: c.deploymentId,
    cost: {
      hourly: { amount: c.hourlyCost, currency: c.currency },
      monthly: { amount: (Number(c.hourlyCost) * HOURS_PER_MONTH).toFixed(2), currency: c.currency },
    },
    result: c.result,
    reason: c.reason,
    runs,
  };
}

export function toBenchmark(
  b: BenchmarkEntity,
  candidates: BenchmarkCandidateEntity[],
  runs: BenchmarkRunEntity[],
): BenchmarkDto {
  const runsOf = (id: string) => runs.filter((r) => r.candidateId === id).map((r) => r.figures);
  return {
    id: b.id,
    blueprint: `${b.blueprintName}@${b.blueprintVersion}`,
    state: b.state,
    runs: b.runs,
    parallel: b.parallel,
    load: b.load,
    slo: b.slo,
    candidates: candidates.map((c) => toCandidate(c, runsOf(c.id))),
    ranking: b.ranking,
    leftBehind: b.leftBehind,
    requestedBy: b.requestedByName,
    createdAt: b.createdAt.toISOString(),
    endedAt: b.endedAt?.toISOString() ?? null,
    scheduleId: b.scheduleId,
  };
}

const CSV_COLUMNS = [
  'position',
  'label',
  'environments',
  'instanceTypes',
  'state',
  'runs',
  'throughputMean',
  'throughputMedian',
  'throughputCiLow',
  'throughputCiHigh',
  'coefficientOfVariation',
  'latencyP50Ms',
  'latencyP95Ms',
  'latencyP99Ms',
  'errorRate',
  'hourlyCost',
  'monthlyCost',
  'currency',
  'reqPerSecPerCostHour',
  'costPerMillionRequests',
  'sloMet',
  'reason',
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // quoted when it holds a separator, a quote or a line break; a leading = + - @ is defused
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line per candidate: the table of the benchmark page. */
export function toCsv(b: BenchmarkDto): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const c of b.candidates) {
    const r = c.result;
    const row = [
      c.position,
      c.label,
      c.environments.join(' '),
      Object.entries(c.instanceTypes)
        .map(([t, s]) => `${t}=${s}`)
        .join(' '),
      c.state,
      c.runsDone,
      r?.throughput.mean,
      r?.throughput.median,
      r?.throughput.interval?.low,
      r?.throughput.interval?.high,
      r?.throughput.coefficientOfVariation,
      r?.latencyMs.p50,
      r?.latencyMs.p95,
      r?.latencyMs.p99,
      r?.errorRate,
      c.cost.hourly.amount,
      c.cost.monthly.amount,
      c.cost.hourly.currency,
      r?.perDollarHour.mean,
      r?.perMillionRequests,
      r?.sloMet,
      c.reason,
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Every run's figures as PerfKitBenchmarker samples (metric, value, unit, metadata, timestamp). */
export function toSamples(b: BenchmarkDto): BenchmarkSampleDto[] {
  const samples: BenchmarkSampleDto[] = [];
  for (const c of b.candidates) {
    for (const run of c.runs) {
      const metadata = {
        benchmark_id: b.id,
        blueprint: b.blueprint,
        candidate: c.position,
        candidate_label: c.label,
        environments: c.environments.join(','),
        instance_types: c.instanceTypes,
        run: run.run,
        target_tier: b.load.target,
        concurrency: b.load.concurrency,
        requests: run.requests,
        hourly_cost: c.cost.hourly.amount,
        currency: c.cost.hourly.currency,
      };
      const timestamp = Date.parse(run.startedAt) / 1000;
      const add = (metric: string, value: number, unit: string) =>
        samples.push({ metric, value, unit, metadata, timestamp });
      add('throughput', run.throughput, 'requests/s');
      add('latency_p50', run.latencyMs.p50, 'ms');
      add('latency_p95', run.latencyMs.p95, 'ms');
      add('latency_p99', run.latencyMs.p99, 'ms');
      add('error_rate', run.errorRate, 'fraction');
      add('run_duration', run.durationSeconds, 'seconds');
    }
  }
  return samples;
}
