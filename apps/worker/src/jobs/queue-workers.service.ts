import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { ALL_QUEUES, JOB_QUEUE, JobName, JobQueue, REDIS } from '@switchyard/core/queue';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { executionTrace } from './execution-trace.js';
import { JOB_HANDLER, RetryLater, type JobHandler } from './job-handler.js';
import { JobRegistry } from './job-registry.js';
import { runExactlyOnce } from './job-runner.js';

// how long a job may keep waiting for a commit it depends on, and how often it looks again
const RETRY_LATER_WINDOW_MS = 15 * 60_000;
const RETRY_LATER_DELAY_MS = 1_000;

/**
 * Consumes every queue. On shutdown it stops taking jobs, lets the ones in flight finish within
 * the grace period, then closes hard: what is left is handed back (BullMQ re-queues stalled jobs).
 */
@Injectable()
export class QueueWorkersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workerId = `${hostname()}:${process.pid}`;
  private readonly workers: Worker[] = [];
  private registry!: JobRegistry;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.registry = JobRegistry.build(
      this.discovery
        .getProviders()
        .filter((w) => w.metatype && w.instance && this.reflector.get(JOB_HANDLER, w.metatype))
        .map((w) => ({
          name: this.reflector.get<string>(JOB_HANDLER, w.metatype!),
          handler: w.instance as JobHandler<never>,
          className: w.name,
        })),
    );
    const { worker } = this.config;
    for (const queue of ALL_QUEUES) {
      const w = new Worker(queue, (job, token) => this.process(queue, job, token), {
        connection: this.redis.duplicate(),
        prefix: this.config.queuePrefix,
        concurrency: worker.concurrency,
        lockDuration: worker.lockDurationMs,
        stalledInterval: worker.stalledIntervalMs,
        // a worker killed several times in a row must not fail the job it held
        maxStalledCount: 10,
        metrics: { maxDataPoints: 60 * 24 * 7 },
        name: this.workerId,
      });
      w.on('failed', (job, err) =>
        this.logger.warn(
          { queue, jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: err.message },
          'job failed',
        ),
      );
      w.on('error', (err) => this.logger.error({ queue, err }, 'worker error'));
      this.workers.push(w);
    }
    if (worker.reconcileIntervalMs > 0) {
      // one schedule, however many workers upsert it
      await this.jobs
        .queue(JOB_QUEUE[JobName.Reconcile])
        .upsertJobScheduler(
          'reconcile',
          { every: worker.reconcileIntervalMs },
          { name: JobName.Reconcile, data: {} },
        );
    }
    this.logger.log(
      `consuming ${ALL_QUEUES.join(', ')} with concurrency ${worker.concurrency} as ${this.workerId}`,
    );
  }

  private async process(queue: string, job: Job, token: string | undefined): Promise<void> {
    const handler = this.registry.handlerFor(job.name);
    if (!handler) throw new Error(`no handler for job "${job.name}"`);
    const started = Date.now();
    const trace = executionTrace(
      this.config.worker.executionTrace ? this.redis : undefined,
      this.config.queuePrefix,
      { worker: this.workerId, queue, jobId: job.id ?? '', name: job.name },
    );
    await trace('delivered');
    try {
      const outcome = await runExactlyOnce(this.db, queue, job, handler, this.workerId, trace);
      await trace('finished', { outcome });
      this.logger.log(
        { queue, jobId: job.id, job: job.name, outcome, ms: Date.now() - started },
        'job finished',
      );
    } catch (err) {
      if (!(err instanceof RetryLater)) throw err;
      // waiting for another commit is not a failed attempt: the job comes back in a second, for as
      // long as the window lasts (a step queued just before its predecessor's commit, whose worker
      // died before committing, waits here until the predecessor runs again); a retry with its own
      // delay is bounded by its handler
      if (err.delayMs === undefined && Date.now() - job.timestamp > RETRY_LATER_WINDOW_MS) throw err;
      const delayMs = err.delayMs ?? RETRY_LATER_DELAY_MS;
      this.logger.log({ queue, jobId: job.id, job: job.name, reason: err.message, delayMs }, 'job waits');
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    }
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log({ signal }, 'stopping: no new jobs, finishing the ones in flight');
    await Promise.all(this.workers.map((w) => this.closeWithin(w, this.config.worker.shutdownGraceMs)));
    this.logger.log('stopped');
  }

  private async closeWithin(worker: Worker, graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gentle = worker.close().then(() => true);
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    const finished = await Promise.race([gentle, late]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn(
        { queue: worker.name },
        'jobs still running after the grace period: handing them back',
      );
      await worker.close(true);
    }
  }
}
