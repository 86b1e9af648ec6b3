import { Inject, Injectable } from '@nestjs/common';
import { SelfCheckEntity, type SelfCheckStatus } from '@switchyard/core/database';
import { JobName, JobQueue, REDIS, type JobPayloads } from '@switchyard/core/queue';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { HandlesJob, RetryLater, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { checkPostgres, checkQueues, checkRedis, type CheckResult } from './system-checks.js';

function overall(checks: CheckResult[]): SelfCheckStatus {
  if (checks.some((c) => c.status === 'fail')) return 'failed';
  return checks.some((c) => c.status === 'warn') ? 'degraded' : 'passed';
}

/** Checks Postgres, Redis and the queues from the worker's side and stores the verdict. */
@Injectable()
@HandlesJob(JobName.SelfCheck)
export class SelfCheckHandler implements JobHandler<JobName.SelfCheck> {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  async handle(payload: JobPayloads[JobName.SelfCheck], ctx: JobContext): Promise<void> {
    const check = await this.db.manager.findOneBy(SelfCheckEntity, {
      id: payload.selfCheckId,
      tenantId: payload.tenantId,
    });
    if (!check) throw new RetryLater(`self-check ${payload.selfCheckId} is not visible yet`);
    if (check.status !== 'queued') return;
    const checks = await Promise.all([
      checkPostgres(this.db),
      checkRedis(this.redis),
      checkQueues(this.jobs),
    ]);
    check.status = overall(checks);
    check.result = { checks, worker: { id: ctx.workerId, attempt: ctx.attempt } };
    check.workerId = ctx.workerId;
    check.completedAt = new Date();
    await ctx.commit((em) => em.save(check));
  }
}
