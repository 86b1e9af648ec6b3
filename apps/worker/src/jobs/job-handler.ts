import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from '@switchyard/core/queue';
import type { EntityManager } from 'typeorm';

export const JOB_HANDLER = 'switchyard:job-handler';

/** What a handler gets besides its payload. */
export interface JobContext {
  /**
   * Runs `fn` in the transaction that also records the job as done, so the effects written there
   * happen exactly once. Answers undefined when another delivery of the job committed first.
   * A handler that never calls it is recorded as done when it returns.
   */
  commit<T>(fn: (em: EntityManager) => Promise<T>): Promise<T | undefined>;
  jobId: string;
  attempt: number;
  workerId: string;
}

/**
 * One handler per job name. It reads and works without holding a database connection, and
 * writes its outcome through `ctx.commit`; it must be safe to run again (idempotent), since a
 * job whose worker died comes back.
 */
export interface JobHandler<N extends JobName> {
  handle(payload: JobPayloads[N], ctx: JobContext): Promise<void>;
}

/** Marks a provider as the handler of `name`. */
export const HandlesJob = (name: JobName): ClassDecorator => SetMetadata(JOB_HANDLER, name);

/**
 * A handler asks for another try later, without spending an attempt or committing anything.
 * Without a delay it waits for a commit it depends on (e.g. a row not yet committed by the API),
 * looking again every second within the queue's window. With `delayMs` it retries with its own
 * backoff (a removal waiting for a cloud to answer), and bounds its retrying itself.
 */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}
