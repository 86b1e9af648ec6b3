import type pg from 'pg';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const JOBS = 200;

describe('worker crash safety', () => {
  let api: Proc & { url: string };
  const workers: Proc[] = [];
  let db: pg.Client;
  let env: Record<string, string>;
  let ids: string[] = [];

  beforeAll(async () => {
    // short locks so that the jobs of a killed worker come back within seconds, not 30 s
    env = await stackEnv({
      WORKER_LOCK_DURATION_MS: '1500',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_CONCURRENCY: '4',
    });
    api = await startApi(env);
    db = await testDb();
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await api?.stop();
    await db?.end();
  });

  const completed = async (): Promise<number> => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM self_checks WHERE id = ANY($1) AND status <> 'queued'`,
      [ids],
    );
    return rows[0].n;
  };

  it(`processes each of ${JOBS} jobs exactly once when the worker is killed -9 mid-way`, async () => {
    const admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    for (let i = 0; i < JOBS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, () => admin.post('/api/v1/admin/self-check')),
      );
      for (const res of batch) expect(res.status).toBe(202);
      ids.push(...batch.map((r) => r.body.id as string));
    }
    ids = [...new Set(ids)];
    expect(ids).toHaveLength(JOBS);

    const first = await startWorker(env);
    workers.push(first);
    await eventually(async () => (await completed()) >= 20, 30_000, 'the first worker to get going');
    await first.kill9();
    const atKill = await completed();
    // the kill must land mid-way, or this test would prove nothing
    expect(atKill).toBeLessThan(JOBS);

    workers.push(await startWorker(env));
    await eventually(async () => (await completed()) === JOBS, 60_000, 'every job to be processed');

    const ledger = await db.query(
      `SELECT job_id, count(*)::int AS n FROM job_executions WHERE queue = 'admin' AND job_id = ANY($1) GROUP BY job_id`,
      [ids],
    );
    expect(ledger.rows).toHaveLength(JOBS);
    expect(ledger.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    const states = await db.query(
      `SELECT status, count(*)::int AS n FROM self_checks WHERE id = ANY($1) GROUP BY status`,
      [ids],
    );
    // degraded is fine here: the killed worker may still be listed by Redis for a moment
    for (const row of states.rows) expect(['passed', 'degraded']).toContain(row.status);

    // and BullMQ agrees: nothing failed, nothing left
    const metrics = await admin.as(undefined).get('/metrics');
    expect(metrics.text).toMatch(/switchyard_queue_jobs\{queue="admin",state="failed"\} 0/);
    expect(metrics.text).toMatch(/switchyard_queue_jobs\{queue="admin",state="waiting"\} 0/);
  }, 120_000);

  it('stops on SIGTERM after finishing what it holds, exiting cleanly', async () => {
    const worker = workers[workers.length - 1]!;
    const exit = await worker.stop(20_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker.log).toMatch(/stopping: no new jobs/);
    expect(worker.log).toMatch(/"msg":"stopped"/);
  }, 30_000);
});
