import { Inject, Injectable } from '@nestjs/common';
import { BenchmarkFlow, BenchmarkRepository, type BenchmarkStepJob } from '@switchyard/core/benchmarks';
import { tenantOnly } from '@switchyard/core/database';
import { JobName } from '@switchyard/core/queue';
import { HandlesJob, RetryLater, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { BenchmarkSteps } from './benchmark-steps.service.js';

/** Unpacks a benchmark job and runs its step when it is the candidate's turn. */
@Injectable()
@HandlesJob(JobName.BenchmarkStep)
export class BenchmarkStepHandler implements JobHandler<JobName.BenchmarkStep> {
  constructor(
    @Inject(BenchmarkRepository) private readonly benchmarks: BenchmarkRepository,
    @Inject(BenchmarkFlow) private readonly flow: BenchmarkFlow,
    @Inject(BenchmarkSteps) private readonly steps: BenchmarkSteps,
  ) {}

  async handle(job: BenchmarkStepJob, ctx: JobContext): Promise<void> {
    const scope = tenantOnly(job.tenantId);
    if (job.step === 'finish') {
      const b = await this.benchmarks.find(scope, job.benchmarkId);
      if (!b) throw new RetryLater(`benchmark ${job.benchmarkId} not committed yet`);
      return this.steps.finish(scope, b, ctx);
    }
    const c = await this.benchmarks.findCandidate(scope, job.candidateId);
    const turn = this.flow.turn(c, job);
    if (turn === 'wait' || !c) throw new RetryLater(`candidate ${job.candidateId} step not committed yet`);
    if (turn === 'stale') return;
    await this.steps.run(c, job, ctx);
  }
}
