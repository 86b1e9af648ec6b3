import type { SelfCheckItem } from '@switchyard/core/database';
import { ALL_QUEUES, type JobQueue } from '@switchyard/core/queue';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

// the stored shape, shared with the API's SelfCheckItemDto
export type CheckResult = SelfCheckItem;

async function timed(
  name: CheckResult['name'],
  fn: () => Promise<Omit<CheckResult, 'name' | 'latencyMs'>>,
): Promise<CheckResult> {
  const start = performance.now();
  try {
    const result = await fn();
    return { name, latencyMs: Math.round((performance.now() - start) * 10) / 10, ...result };
  } catch (err) {
    return {
      name,
      status: 'fail',
      latencyMs: Math.round((performance.now() - start) * 10) / 10,
      message: err instanceof Error ? err.message : String(err),
      details: {},
    };
  }
}

/** Postgres answers, and every migration this worker knows is applied. */
export function checkPostgres(db: DataSource): Promise<CheckResult> {
  return timed('postgres', async () => {
    const [row] = (await db.query('SHOW server_version')) as { server_version: string }[];
    const version = row?.server_version ?? 'unknown';
    const applied = new Set(
      ((await db.query('SELECT name FROM schema_migrations')) as { name: string }[]).map((r) => r.name),
    );
    const pending = db.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !applied.has(n));
    return {
      status: pending.length ? 'fail' : 'pass',
      message: pending.length
        ? `${pending.length} migration(s) not applied: run npm run migrate`
        : 'reachable, schema up to date',
      details: { serverVersion: version, appliedMigrations: applied.size, pendingMigrations: pending },
    };
  });
}

/** Redis answers, is recent enough for BullMQ, and will not evict queue keys under memory pressure. */
export function checkRedis(redis: Redis): Promise<CheckResult> {
  return timed('redis', async () => {
    await redis.ping();
    const info = await redis.info('server');
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? 'unknown';
    const major = Number(version.split('.')[0]);
    const policyReply = (await redis.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    const policy = policyReply[1] ?? 'unknown';
    if (!(major >= 5)) {
      return {
        status: 'fail',
        message: `Redis ${version} is too old: BullMQ needs 5 or newer`,
        details: { version, policy },
      };
    }
    if (policy !== 'noeviction' && policy !== 'unknown') {
      return {
        status: 'warn',
        message: `maxmemory-policy is ${policy}: Redis may evict queued jobs; set it to noeviction`,
        details: { version, maxmemoryPolicy: policy },
      };
    }
    return { status: 'pass', message: `Redis ${version}`, details: { version, maxmemoryPolicy: policy } };
  });
}

/** Every queue is reachable, not paused, and has at least one worker. */
export function checkQueues(jobs: JobQueue): Promise<CheckResult> {
  return timed('queues', async () => {
    const queues = await Promise.all(
      ALL_QUEUES.map(async (name) => {
        const queue = jobs.queue(name);
        const [counts, workers, paused] = await Promise.all([
          queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
          queue.getWorkersCount(),
          queue.isPaused(),
        ]);
        return { name, counts, workers, paused };
      }),
    );
    const problems = queues.flatMap((q) => [
      ...(q.paused ? [`${q.name} is paused`] : []),
      ...(q.workers === 0 ? [`${q.name} has no worker`] : []),
    ]);
    return {
      status: problems.length ? 'warn' : 'pass',
      message: problems.length ? problems.join('; ') : `${queues.length} queue(s) consumed`,
      details: { queues },
    };
  });
}
