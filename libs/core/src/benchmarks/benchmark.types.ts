import type { Interval, RunSummary } from './statistics/summary.util.js';

export const BENCHMARK_STATES = ['running', 'completed', 'cancelling', 'cancelled', 'failed'] as const;
export type BenchmarkState = (typeof BENCHMARK_STATES)[number];

/** Where a candidate is; the last four are settled. */
export const CANDIDATE_STATES = [
  'waiting',
  'deploying',
  'measuring',
  'tearing-down',
  'measured',
  'not-measurable',
  'failed',
  'cancelled',
] as const;
export type CandidateState = (typeof CANDIDATE_STATES)[number];

export const SETTLED_CANDIDATE_STATES: ReadonlySet<CandidateState> = new Set([
  'measured',
  'not-measurable',
  'failed',
  'cancelled',
]);

/** The jobs of one candidate, in order; each is committed before the next is queued. */
export const CANDIDATE_STEPS = [
  'deploy',
  'await-running',
  'measure',
  'terminate',
  'await-terminated',
] as const;
export type CandidateStep = (typeof CANDIDATE_STEPS)[number];

/** The load each run puts on the target tier. */
export interface BenchmarkLoad {
  target: string;
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  path: string;
  /** The target tier's port; the tier's first TCP port when the request names none. */
  port: number;
  concurrency: number;
  /** Requests per run (`amount`), unless `durationSeconds` is set. */
  requests: number;
  durationSeconds?: number;
  warmupSeconds: number;
  /** A request without an answer after this long counts as an error. */
  timeoutSeconds: number;
}

/** What a candidate must reach to meet the SLO (each bound optional). */
export interface BenchmarkSlo {
  p95Ms?: number;
  maxErrorRate?: number;
}

/** One measured run, as the worker stores it. */
export interface RunFigures {
  run: number;
  startedAt: string;
  durationSeconds: number;
  requests: number;
  /** Answers with a status of 2xx/3xx per second. */
  throughput: number;
  errors: number;
  errorRate: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
}

/** A candidate's results over its runs. */
export interface CandidateResult {
  throughput: RunSummary;
  latencyMs: { p50: number; p95: number; p99: number };
  errorRate: number;
  cost: { hourly: string; monthly: string; currency: string };
  /** req/s per currency unit per hour, with the throughput interval scaled by the same cost. */
  perDollarHour: { mean: number; interval: Interval | null };
  /** Currency per million requests at the mean throughput. */
  perMillionRequests: number;
  sloMet: boolean | null;
}

/** The ranking of a completed benchmark. */
export interface RankingEntry {
  candidate: number;
  label: string;
  /** True when the winner's interval does not overlap the runner-up's. */
  significant: boolean | null;
  runnerUp?: number;
  note: string;
}

export interface BenchmarkRanking {
  bestValue: RankingEntry | null;
  fastest: RankingEntry | null;
  cheapestMeetingSlo: RankingEntry | null;
  notes: string[];
}

/** What a cancel, failure or crash could not remove. */
export interface LeftDeployment {
  candidate: number;
  deploymentId: string;
  message: string;
}
