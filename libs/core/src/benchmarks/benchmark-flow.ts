import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../database/tenant-scope.js';
import { JobQueue } from '../queue/job-queue.js';
import { JobName, type JobPayloads } from '../queue/jobs.js';
import type { BenchmarkCandidateEntity, BenchmarkEntity } from './benchmark.entities.js';
import { BenchmarkRepository, type CandidateChange } from './benchmark.repository.js';
import { SETTLED_CANDIDATE_STATES, type CandidateState, type CandidateStep } from './benchmark.types.js';

export type BenchmarkStepJob = JobPayloads[JobName.BenchmarkStep];

/** Where the flow queues its jobs: the JobQueue is one. */
export interface BenchmarkStepQueue {
  add(
    name: JobName.BenchmarkStep,
    payload: BenchmarkStepJob,
    options: { jobId: string; attempts: number; delay?: number },
  ): Promise<string>;
}

export type CancelAnswer =
  { outcome: 'not-found' } | { outcome: 'not-running'; state: string } | { outcome: 'accepted' };

/**
 * The one owner of a benchmark's moves: a candidate's next step (its seq bumped, the job queued in
 * the caller's transaction, last), a settled candidate starting the next one (or all of them at
 * once when parallel), the finish once all are settled, and a cancel. Every move checks the
 * candidate is still at the job's seq, so a job overtaken by a cancel changes nothing.
 */
@Injectable()
export class BenchmarkFlow {
  constructor(
    @Inject(BenchmarkRepository) private readonly records: BenchmarkRepository,
    @Inject(JobQueue) private readonly jobs: BenchmarkStepQueue,
  ) {}

  /** A new benchmark: its rows, and the first candidate (all of them when parallel) deploying. */
  async start(
    em: EntityManager,
    benchmark: Omit<BenchmarkEntity, 'createdAt' | 'updatedAt'>,
    candidates: BenchmarkCandidateEntity[],
  ): Promise<BenchmarkEntity> {
    const saved = await this.records.insert(em, benchmark, candidates);
    const scope = { tenantId: benchmark.tenantId, anyTenant: false };
    const first = benchmark.parallel ? candidates : candidates.slice(0, 1);
    for (const c of first) await this.step(em, scope, c, 'deploy', { state: 'deploying' });
    return saved;
  }

  /** Whether a job may act on the candidate row it read. */
  turn(c: BenchmarkCandidateEntity | null, job: BenchmarkStepJob): 'wait' | 'stale' | 'run' {
    if (!c || c.seq < job.seq) return 'wait';
    return c.seq > job.seq ? 'stale' : 'run';
  }

  /** Moves the candidate to its next step (seq + 1) and queues it; `delayMs` to look again later. */
  async step(
    em: EntityManager,
    scope: TenantScope,
    c: BenchmarkCandidateEntity,
    step: CandidateStep,
    change: CandidateChange = {},
    delayMs?: number,
  ): Promise<void> {
    const seq = c.seq + 1;
    await this.records.updateCandidate(em, scope, c.id, { ...change, step, seq, stepStartedAt: new Date() });
    await this.jobs.add(
      JobName.BenchmarkStep,
      { benchmarkId: c.benchmarkId, tenantId: c.tenantId, candidateId: c.id, step, seq },
      { jobId: `${c.id}.${seq}.${step}`, attempts: 5, ...(delayMs ? { delay: delayMs } : {}) },
    );
  }

  /**
   * The candidate is done (measured, not measurable, failed or cancelled): the next waiting one
   * starts, or the finish is queued when none is left working.
   */
  async settle(
    em: EntityManager,
    scope: TenantScope,
    c: BenchmarkCandidateEntity,
    state: CandidateState,
    change: CandidateChange = {},
  ): Promise<void> {
    await this.records.updateCandidate(em, scope, c.id, { ...change, state, step: null, seq: c.seq + 1 });
    const b = await this.records.lock(em, scope, c.benchmarkId);
    if (!b) return;
    const all = await this.records.candidates(scope, b.id, em);
    const others = all.filter((o) => o.id !== c.id);
    const next = others.find((o) => o.state === 'waiting');
    if (next && b.state === 'running' && !b.parallel) {
      await this.step(em, scope, next, 'deploy', { state: 'deploying' });
      return;
    }
    if (others.every((o) => SETTLED_CANDIDATE_STATES.has(o.state))) await this.queueFinish(b);
  }

  /**
   * A person's cancel: candidates not started are cancelled, the others go to their teardown.
   * Everything made is removed; what cannot be is listed on the benchmark.
   */
  async cancel(em: EntityManager, scope: TenantScope, id: string): Promise<CancelAnswer> {
    const b = await this.records.lock(em, scope, id);
    if (!b) return { outcome: 'not-found' };
    if (b.state !== 'running') return { outcome: 'not-running', state: b.state };
    await this.records.update(em, scope, b.id, { state: 'cancelling' });
    const all = await this.records.candidates(scope, b.id, em);
    for (const c of all) {
      if (c.state === 'waiting') {
        await this.records.updateCandidate(em, scope, c.id, {
          state: 'cancelled',
          reason: 'cancelled before it started',
        });
      } else if (c.state === 'deploying' || c.state === 'measuring') {
        await this.step(em, scope, c, 'terminate', { state: 'tearing-down', reason: 'cancelled' });
      }
    }
    const working = all.some((c) => c.state !== 'waiting' && !SETTLED_CANDIDATE_STATES.has(c.state));
    if (!working) await this.queueFinish(b);
    return { outcome: 'accepted' };
  }

  private async queueFinish(b: BenchmarkEntity): Promise<void> {
    await this.jobs.add(
      JobName.BenchmarkStep,
      { benchmarkId: b.id, tenantId: b.tenantId, candidateId: '', step: 'finish', seq: 0 },
      { jobId: `${b.id}.finish`, attempts: 5 },
    );
  }
}
