import type pg from 'pg';
import { testDb } from '../support/db.js';
import { ExecutionTrace, workerIdOf, type TraceEntry } from '../support/execution-trace.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const JOBS = 200;

describe('worker crash safety', () => {
  let api: Proc & { url: string };
  const workers: Proc[] = [];
  let db: pg.Client;
  let env: Record<string, string>;
  let admin: Client;
  let trace: ExecutionTrace;

  beforeAll(async () => {
    // short locks so that the jobs of a killed worker come back within seconds, not 30 s; the
    // execution trace counts deliveries and effects outside the ledger's transaction
    env = await stackEnv({
      WORKER_LOCK_DURATION_MS: '1500',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_CONCURRENCY: '4',
      WORKER_SHUTDOWN_GRACE_MS: '20000',
      WORKER_EXECUTION_TRACE: '1',
    });
    api = await startApi(env);
    db = await testDb();
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    trace = new ExecutionTrace(env.QUEUE_PREFIX!);
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await api?.stop();
    await db?.end();
    await trace?.close();
  });

  const queueChecks = async (n: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, n - i) }, () => admin.post('/api/v1/admin/self-check')),
      );
      for (const res of batch) expect(res.status).toBe(202);
      ids.push(...batch.map((r) => r.body.id as string));
    }
    expect(new Set(ids).size).toBe(n);
    return ids;
  };
  const completed = async (ids: string[]): Promise<number> => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM self_checks WHERE id = ANY($1) AND status <> 'queued'`,
      [ids],
    );
    return rows[0].n;
  };
  // the worker's commits that wait on a row lock the test holds: jobs mid-way, for as long as the
  // test wants (a slow database, as far as the worker can tell)
  const waitingOnLock = async (): Promise<number> =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'switchyard-worker' AND wait_event_type = 'Lock'
            AND query LIKE 'UPDATE "self_checks"%'`,
      )
    ).rows[0].n as number;
  const byJob = (entries: TraceEntry[]) => {
    const map = new Map<string, TraceEntry[]>();
    for (const e of entries) map.set(e.jobId, [...(map.get(e.jobId) ?? []), e]);
    return map;
  };

  it(`processes each of ${JOBS} jobs exactly once when the worker is killed -9 mid-way`, async () => {
    const ids = await queueChecks(JOBS);
    // the kill must land with jobs mid-way, or this test would prove nothing: the rows after the
    // first 40 are held, so the worker finishes some jobs and then holds 4 whose handler ran but
    // whose commit waits (a fast job would otherwise often finish between two polls of the test)
    const holder = await testDb();
    await holder.query('BEGIN');
    await holder.query(`SELECT id FROM self_checks WHERE id = ANY($1) FOR UPDATE`, [ids.slice(40)]);

    const first = await startWorker(env);
    workers.push(first);
    let killedAt = 0;
    try {
      await eventually(
        async () => (await waitingOnLock()) === 4,
        30_000,
        'the first worker to hold 4 jobs mid-commit',
      );
      expect(await completed(ids)).toBeGreaterThan(0);
      await first.kill9();
      killedAt = Date.now();
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    expect(await completed(ids)).toBeLessThan(JOBS);

    const second = await startWorker(env);
    workers.push(second);
    await eventually(async () => (await completed(ids)) === JOBS, 60_000, 'every job to be processed');

    const dead = workerIdOf(first);
    const heir = workerIdOf(second);
    const handled = byJob(await trace.entries({ queue: 'admin', event: 'handler' }));
    const commits = byJob(await trace.entries({ queue: 'admin', event: 'committed' }));
    // really delivered again: the handler ran in the killed worker, and again after the kill in
    // the next one, which committed it
    const again = ids.filter((id) => {
      const runs = handled.get(id) ?? [];
      return (
        runs.some((r) => r.worker === dead) &&
        runs.some((r) => r.worker === heir && r.at > killedAt) &&
        (commits.get(id) ?? []).every((c) => c.worker === heir)
      );
    });
    // at least the 4 it held when it died
    expect(again.length).toBeGreaterThanOrEqual(4);
    const runs = ids.reduce((n, id) => n + (handled.get(id)?.length ?? 0), 0);
    expect(runs).toBeGreaterThan(JOBS);

    // … yet each committed effect happened once: never two commits of one job (a commit the kill
    // cut off between Postgres and the trace counts 0, and then its ledger row names the dead worker)
    const ledger = await db.query<{ job_id: string; worker_id: string }>(
      `SELECT job_id, worker_id FROM job_executions WHERE queue = 'admin' AND job_id = ANY($1)`,
      [ids],
    );
    expect(ledger.rows).toHaveLength(JOBS);
    const winner = new Map(ledger.rows.map((r) => [r.job_id, r.worker_id]));
    const twice = ids.filter((id) => (commits.get(id)?.length ?? 0) > 1);
    expect(twice).toEqual([]);
    const untraced = ids.filter((id) => !commits.has(id) && winner.get(id) !== dead);
    expect(untraced).toEqual([]);
    for (const id of again) expect(winner.get(id)).toBe(heir);
    // the stored result is the one the ledger's winner computed
    const states = await db.query<{ id: string; status: string; worker_id: string }>(
      `SELECT id, status, worker_id FROM self_checks WHERE id = ANY($1)`,
      [ids],
    );
    const mismatched = states.rows.filter((r) => r.worker_id !== winner.get(r.id)).map((r) => r.id);
    expect(mismatched).toEqual([]);
    // degraded is fine here: the killed worker may still be listed by Redis for a moment
    for (const row of states.rows) expect(['passed', 'degraded']).toContain(row.status);

    // and BullMQ agrees: nothing failed, nothing left
    const metrics = await admin.as(undefined).get('/metrics');
    expect(metrics.text).toMatch(/switchyard_queue_jobs\{queue="admin",state="failed"\} 0/);
    expect(metrics.text).toMatch(/switchyard_queue_jobs\{queue="admin",state="waiting"\} 0/);
  }, 120_000);

  it('stops on SIGTERM after finishing the jobs it holds, takes no new one, and exits 0', async () => {
    for (const w of workers) await w.stop();
    const ids = await queueChecks(40);
    // the test holds the rows, so the worker is mid-job for as long as the test wants
    const holder = await testDb();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM self_checks WHERE id = ANY($1) FOR UPDATE`, [ids]);
      const worker = await startWorker(env);
      workers.push(worker);
      const me = workerIdOf(worker);
      await eventually(
        async () => (await waitingOnLock()) === 4,
        30_000,
        'the worker to hold 4 jobs mid-commit',
      );

      const sigtermAt = Date.now();
      worker.child.kill('SIGTERM');
      await worker.waitForLog(/stopping: no new jobs/, 10_000);
      // it waits for what it holds rather than dropping it
      await new Promise((r) => setTimeout(r, 1_500));
      expect(worker.child.exitCode).toBeNull();
      expect(await completed(ids)).toBe(0);
      await holder.query('COMMIT');

      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.log).toMatch(/"msg":"stopped"/);
      expect(worker.log).not.toMatch(/handing them back/);

      const held = (await trace.entries({ queue: 'admin', event: 'handler', worker: me })).map(
        (e) => e.jobId,
      );
      expect(held.sort()).toHaveLength(4);
      // the four it held finished after the signal and were committed by it …
      const done = await db.query<{ id: string }>(
        `SELECT c.id FROM self_checks c JOIN job_executions j ON j.queue = 'admin' AND j.job_id = c.id::text
          WHERE c.id = ANY($1) AND c.status <> 'queued' AND c.worker_id = $2 AND j.worker_id = $2`,
        [ids, me],
      );
      expect(done.rows.map((r) => r.id).sort()).toEqual([...held].sort());
      const finished = await trace.entries({ queue: 'admin', event: 'finished', worker: me });
      expect(finished.map((e) => e.jobId).sort()).toEqual([...held].sort());
      for (const f of finished) expect(f.at).toBeGreaterThan(sigtermAt);
      // … and nothing new was taken after it: the other 36 wait for the next worker
      const delivered = await trace.entries({ queue: 'admin', event: 'delivered', worker: me });
      expect(delivered).toHaveLength(4);
      expect(await completed(ids)).toBe(4);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  }, 60_000);
});
