import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { JobHandler, JobContext } from './job-handler.js';

export type RunOutcome = 'done' | 'already-done';

/**
 * Runs a handler inside the transaction that records the job in `job_executions`. A job that
 * comes back after a crash (BullMQ redelivers stalled jobs) finds its row and is not run again;
 * two deliveries at once serialise on the row's primary key.
 */
export async function runExactlyOnce(
  db: DataSource,
  queue: string,
  job: Job,
  handler: JobHandler<never>,
  workerId: string,
): Promise<RunOutcome> {
  const jobId = job.id;
  if (!jobId) throw new Error(`job ${job.name} has no id`);
  return db.transaction(async (em) => {
    const claimed: unknown[] = await em.query(
      `INSERT INTO job_executions (queue, job_id, name, worker_id, attempt) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (queue, job_id) DO NOTHING RETURNING job_id`,
      [queue, jobId, job.name, workerId, job.attemptsMade + 1],
    );
    if (claimed.length === 0) return 'already-done';
    const ctx: JobContext = { em, jobId, attempt: job.attemptsMade + 1, workerId };
    await handler.handle(job.data as never, ctx);
    return 'done';
  });
}
