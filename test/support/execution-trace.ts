import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Proc } from './processes.js';
import { testEnv } from './test-env.js';

/** One entry a worker started with WORKER_EXECUTION_TRACE=1 appended (apps/worker execution-trace). */
export interface TraceEntry {
  at: number;
  worker: string;
  queue: string;
  jobId: string;
  name: string;
  event: 'delivered' | 'handler' | 'committed' | 'finished';
  outcome?: string;
}

/** The id a worker process gives itself (host:pid), as the ledger and the trace record it. */
export const workerIdOf = (proc: Proc) => `${hostname()}:${proc.child.pid}`;

/** Reads the execution trace of the workers sharing one queue prefix. */
export class ExecutionTrace {
  private readonly redis = new Redis(testEnv().REDIS_URL, { lazyConnect: false });

  constructor(private readonly queuePrefix: string) {}

  async entries(
    filter: Partial<Pick<TraceEntry, 'queue' | 'name' | 'worker' | 'event'>> = {},
  ): Promise<TraceEntry[]> {
    const raw = await this.redis.lrange(`${this.queuePrefix}:execution-trace`, 0, -1);
    return raw
      .map((r) => JSON.parse(r) as TraceEntry)
      .filter((e) => Object.entries(filter).every(([k, v]) => e[k as keyof TraceEntry] === v));
  }

  /** How many times each job met `event`, by job id. */
  async count(event: TraceEntry['event'], queue: string): Promise<Map<string, TraceEntry[]>> {
    const by = new Map<string, TraceEntry[]>();
    for (const e of await this.entries({ event, queue })) by.set(e.jobId, [...(by.get(e.jobId) ?? []), e]);
    return by;
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
