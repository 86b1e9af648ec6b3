import type { Redis } from 'ioredis';

/** What a traced job went through: handed to this worker, its handler run, its effect committed, done. */
export type TraceEvent = 'delivered' | 'handler' | 'committed' | 'finished';

/** One entry of the trace list, as tests read it back (JSON). */
export interface TraceEntry {
  at: number;
  worker: string;
  queue: string;
  jobId: string;
  name: string;
  event: TraceEvent;
  outcome?: string;
}

export type TraceFn = (event: TraceEvent, extra?: { outcome?: string }) => Promise<void>;

/** The list a traced worker appends to; tests read it with LRANGE. */
export const traceKey = (queuePrefix: string) => `${queuePrefix}:execution-trace`;

/**
 * Tests only (WORKER_EXECUTION_TRACE=1): records each step of a job in a Redis list, awaited and
 * outside Postgres, so what happened before a crash survives it and a count of effects does not
 * depend on the ledger it checks. Off, it records nothing and costs nothing.
 */
export function executionTrace(
  redis: Redis | undefined,
  queuePrefix: string,
  job: { worker: string; queue: string; jobId: string; name: string },
): TraceFn {
  if (!redis) return () => Promise.resolve();
  return async (event, extra) => {
    const entry: TraceEntry = { at: Date.now(), ...job, event, ...extra };
    await redis.rpush(traceKey(queuePrefix), JSON.stringify(entry));
  };
}
