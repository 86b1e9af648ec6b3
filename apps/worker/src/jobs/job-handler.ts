import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads } from '@switchyard/core';
import type { EntityManager } from 'typeorm';

export const JOB_HANDLER = 'switchyard:job-handler';

/** What a handler gets besides its payload. */
export interface JobContext {
  /** The transaction that also records the job as done: effects written here happen exactly once. */
  em: EntityManager;
  jobId: string;
  attempt: number;
  workerId: string;
}

/** One handler per job name; it must be safe to run again after a crash (idempotent). */
export interface JobHandler<N extends JobName> {
  handle(payload: JobPayloads[N], ctx: JobContext): Promise<void>;
}

/** Marks a provider as the handler of `name`. */
export const HandlesJob = (name: JobName): ClassDecorator => SetMetadata(JOB_HANDLER, name);

/** A handler asks for another try later (e.g. a row not yet committed by the API). */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLater';
  }
}
