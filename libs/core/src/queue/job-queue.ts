import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { ALL_QUEUES, JOB_QUEUE, type JobName, type JobPayloads, type QueueName } from './jobs.js';

/** Finished jobs kept in Redis for inspection; Postgres holds the lasting record. */
const KEEP = { removeOnComplete: { age: 86_400, count: 1000 }, removeOnFail: { age: 7 * 86_400 } } as const;

/** The typed way to put work on the queues: one payload type per job name. */
export class JobQueue {
  private readonly queues: ReadonlyMap<QueueName, Queue>;

  constructor(connection: Redis, prefix: string) {
    this.queues = new Map(ALL_QUEUES.map((q) => [q, new Queue(q, { connection, prefix })]));
  }

  /** Queues a job; with `jobId` set, adding the same id again is a no-op (BullMQ dedupes by id). */
  async add<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<string> {
    const job = await this.queue(JOB_QUEUE[name]).add(name, payload, {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      ...KEEP,
      ...options,
    });
    if (!job.id) throw new Error(`BullMQ returned no id for a ${name} job`);
    return job.id;
  }

  queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
