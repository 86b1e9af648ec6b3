import type { Job } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import type { TraceFn } from './execution-trace.js';
import type { JobContext, JobHandler } from './job-handler.js';

export type RunOutcome = 'done' | 'already-done';

/**
 * Runs a handler so that its committed effects happen once per job. The ledger row in
 * `job_executions` is written in the same short transaction as the handler's outcome (`commit`);
 * a job that comes back after a crash (BullMQ redelivers stalled jobs) finds the row and does
 * nothing, and two deliveries at once serialise on its primary key. No connection is held
 * while the handler waits on clouds or other services.
 */
export async function runExactlyOnce(
  db: DataSource,
  queue: string,
  job: Job,
  handler: JobHandler<never>,
  workerId: string,
  trace: TraceFn = () => Promise.resolve(),
): Promise<RunOutcome> {
  const jobId = job.id;
  if (!jobId) throw new Error(`job ${job.name} has no id`);
  const done = await db.query(`SELECT 1 FROM job_executions WHERE queue = $1 AND job_id = $2`, [
    queue,
    jobId,
  ]);
  if ((done as unknown[]).length > 0) return 'already-done';
  await trace('handler');

  const attempt = job.attemptsMade + 1;
  let outcome: RunOutcome | undefined;
  const claim = async (em: EntityManager): Promise<boolean> => {
    const claimed: unknown[] = await em.query(
      `INSERT INTO job_executions (queue, job_id, name, worker_id, attempt) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (queue, job_id) DO NOTHING RETURNING job_id`,
      [queue, jobId, job.name, workerId, attempt],
    );
    outcome = claimed.length > 0 ? 'done' : 'already-done';
    return claimed.length > 0;
  };
  const ctx: JobContext = {
    jobId,
    attempt,
    workerId,
    commit: async (fn) => {
      if (outcome) throw new Error(`job ${jobId} committed twice`);
      // traced around the effect itself, whatever the guard in front of it decides
      let ran = false;
      const effect = async (em: EntityManager) => {
        const result = await fn(em);
        ran = true;
        return result;
      };
      const result = await db.transaction(async (em) => ((await claim(em)) ? effect(em) : undefined));
      if (ran) await trace('committed');
      return result;
    },
  };
  await handler.handle(job.data as never, ctx);
  if (!outcome) await db.transaction(claim);
  return outcome ?? 'done';
}
