import pg from 'pg';
import { ExecutionTrace, workerIdOf } from '../support/execution-trace.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

interface LogLine {
  time: string;
  msg: string;
  ms?: number;
}
const logLines = (proc: Proc, msg: string): LogLine[] =>
  proc.log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.msg === msg);

// Two real worker processes on one queue prefix and one database of this file's own (the
// reconciler looks at every row, so not the shared test database).
describe('two workers at once', () => {
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let api: Proc & { url: string };
  const workers: Proc[] = [];
  let db: pg.Client;
  let admin: Client;
  let trace: ExecutionTrace;

  beforeAll(async () => {
    database = await migratedDatabase(testEnv().DATABASE_URL, 'workers');
    env = await stackEnv({
      DATABASE_URL: database.url,
      WORKER_CONCURRENCY: '4',
      WORKER_LOCK_DURATION_MS: '1500',
      WORKER_STALLED_INTERVAL_MS: '500',
      RECONCILE_INTERVAL_MS: '300',
      WORKER_EXECUTION_TRACE: '1',
    });
    api = await startApi(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    trace = new ExecutionTrace(env.QUEUE_PREFIX!);
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) {
      w.child.kill('SIGCONT');
      await w.stop();
    }
    await api?.stop();
    await db?.end();
    await trace?.close();
    await database?.drop();
  });

  /** Backends of the workers waiting on a row lock, with the backends that block them. */
  const lockWaits = async (statement: string) =>
    (
      await db.query<{ pid: number; blockers: number[] }>(
        `SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity
          WHERE application_name = 'switchyard-worker' AND wait_event_type = 'Lock' AND query LIKE $1`,
        [`${statement}%`],
      )
    ).rows;

  it('two deliveries of one job serialise: the second waits on the first one’s ledger row, then commits nothing', async () => {
    const res = await admin.post('/api/v1/admin/self-check');
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    // the test holds the self-check's row, so the first worker's commit stops inside its transaction
    // (ledger row written, not yet committed) for as long as the test wants
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM self_checks WHERE id = $1 FOR UPDATE`, [id]);
      const first = await startWorker(env);
      workers.push(first);
      const [update] = await eventually(
        async () => {
          const waits = await lockWaits('UPDATE "self_checks"');
          return waits.length === 1 ? waits : undefined;
        },
        30_000,
        'the first worker to stop mid-commit',
      );
      // frozen, it cannot renew its lock: BullMQ hands the job to the second worker as stalled
      first.child.kill('SIGSTOP');
      const second = await startWorker(env);
      workers.push(second);
      const [insert] = await eventually(
        async () => {
          const waits = await lockWaits('INSERT INTO job_executions');
          return waits.length === 1 ? waits : undefined;
        },
        30_000,
        'the second delivery to reach the ledger',
      );
      // the second delivery waits on the first one's uncommitted ledger row
      expect(insert!.blockers).toEqual([update!.pid]);
      first.child.kill('SIGCONT');
      await holder.query('COMMIT');

      const a = workerIdOf(first);
      const b = workerIdOf(second);
      const finished = await eventually(
        async () => {
          const f = (await trace.entries({ queue: 'admin', event: 'finished' })).filter(
            (e) => e.jobId === id,
          );
          return f.length === 2 ? f : undefined;
        },
        30_000,
        'both deliveries to finish',
      );
      expect(finished.map((f) => `${f.worker === a ? 'first' : 'second'} ${f.outcome}`).sort()).toEqual([
        'first done',
        'second already-done',
      ]);
      const handled = (await trace.entries({ queue: 'admin', event: 'handler' })).filter(
        (e) => e.jobId === id,
      );
      expect(handled.map((e) => e.worker).sort()).toEqual([a, b].sort());
      // one committed effect, the first delivery's, and the row says so
      const commits = (await trace.entries({ queue: 'admin', event: 'committed' })).filter(
        (e) => e.jobId === id,
      );
      expect(commits.map((e) => e.worker)).toEqual([a]);
      const stored = await db.query(
        `SELECT c.status, c.worker_id AS "checkedBy", j.worker_id AS "ledger"
           FROM self_checks c JOIN job_executions j ON j.queue = 'admin' AND j.job_id = c.id::text WHERE c.id = $1`,
        [id],
      );
      expect(stored.rows).toEqual([
        { status: expect.stringMatching(/^(passed|degraded)$/), checkedBy: a, ledger: a },
      ]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  }, 120_000);

  it('runs one reconcile round at a time, whichever of the workers gets the job', async () => {
    expect(workers).toHaveLength(2);
    const since = Date.now();
    // a sign-in session that ended long ago, for the round's sweep to delete
    const { rows } = await db.query(`SELECT id, tenant_id FROM users WHERE name = 'admin' LIMIT 1`);
    const token = await db.query<{ id: string }>(
      `INSERT INTO api_tokens (tenant_id, user_id, name, role, token_hash, hint, kind, expires_at)
       VALUES ($1, $2, 'ended-session', 'admin', md5(random()::text), 'syd_…', 'session', now() - interval '3 days')
       RETURNING id`,
      [rows[0].tenant_id, rows[0].id],
    );
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      // the sweep's DELETE waits behind this, so a round stops there holding the round lock; the
      // schedule keeps handing out jobs every 300 ms, to both workers
      await holder.query('LOCK TABLE api_tokens IN SHARE MODE');
      await eventually(
        async () => ((await lockWaits('DELETE FROM api_tokens')).length === 1 ? true : undefined),
        30_000,
        'a round to stop in its sweep',
      );
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await lockWaits('DELETE FROM api_tokens')).toHaveLength(1);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    // and a few rounds more after it
    await new Promise((r) => setTimeout(r, 3_000));

    const rounds = workers.flatMap((w, n) =>
      logLines(w, 'reconcile round').map((l) => ({
        worker: n,
        start: Date.parse(l.time) - l.ms!,
        end: Date.parse(l.time),
      })),
    );
    const skips = workers.flatMap((w, n) =>
      logLines(w, 'reconcile round skipped: another round is running').map((l) => ({
        worker: n,
        at: Date.parse(l.time),
      })),
    );
    // (a round may also have spanned the first worker's freeze in the test before)
    const held = rounds.filter((r) => r.start > since && r.end - r.start >= 3_000);
    expect(held).toHaveLength(1);
    // while that round held the lock, both workers were handed rounds and skipped them
    const during = skips.filter((s) => s.at > held[0]!.start && s.at < held[0]!.end);
    expect(new Set(during.map((s) => s.worker))).toEqual(new Set([0, 1]));
    // both ran rounds since, and no two rounds ever overlapped (5 ms: the log's clock and the
    // round's own timer round differently)
    expect(new Set(rounds.filter((r) => r.start > since).map((r) => r.worker))).toEqual(new Set([0, 1]));
    const sorted = [...rounds].sort((x, y) => x.start - y.start);
    const overlaps = sorted.slice(1).filter((r, i) => r.start < sorted[i]!.end - 5);
    expect(overlaps).toEqual([]);
    expect(sorted.length).toBeGreaterThanOrEqual(4);
    // the held round finished its sweep once let go
    expect((await db.query(`SELECT id FROM api_tokens WHERE id = $1`, [token.rows[0]!.id])).rows).toEqual([]);
  }, 120_000);
});
