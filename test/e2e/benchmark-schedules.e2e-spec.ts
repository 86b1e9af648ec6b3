import type pg from 'pg';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { runSyd } from '../support/syd.js';
import { testEnv } from '../support/test-env.js';

const RUN = `s${Date.now().toString(36)}`;
// about 11 s between repeats; the reconcile round that starts them comes every second
const EVERY_HOURS = 0.003;
const RECONCILE_MS = 1000;

interface Schedule {
  id: string;
  everyHours: number;
  nextRunAt: string;
  benchmarks: string[];
}

describe('benchmark schedules on simulated clouds', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    const env = await stackEnv({ RECONCILE_INTERVAL_MS: String(RECONCILE_MS) });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = await testDb();
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await db?.end();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  const body = (schedule: unknown) => ({
    blueprint: 'three-tier-shop',
    parameters: { dbPassword: 'bench-secret', appCount: 1 },
    runs: 1,
    candidates: [{ placement: { default: clouds.aws } }],
    schedule,
  });
  const schedule = async (id: string): Promise<Schedule> =>
    (await admin.get(`/api/v1/benchmark-schedules/${id}`)).body as Schedule;

  it('names each bad schedule field by its path', async () => {
    for (const bad of [{ everyHours: 0 }, { everyHours: 'weekly' }, {}, 'weekly']) {
      const res = await admin.post('/api/v1/benchmarks', body(bad));
      expect(res.status).toBe(400);
      const paths = (res.body.details as { path: string }[]).map((d) => d.path);
      expect(paths.some((p) => p.startsWith('schedule'))).toBe(true);
    }
  });

  it('repeats the benchmark (each repeat deployed with its own secrets) until the schedule is deleted', async () => {
    const res = await admin.post('/api/v1/benchmarks', body({ everyHours: EVERY_HOURS }));
    expect(res.status).toBe(202);
    const first = res.body as { id: string; scheduleId: string };
    expect(first.scheduleId).toEqual(expect.any(String));
    const listed = (await admin.get('/api/v1/benchmark-schedules')).body.items as Schedule[];
    expect(listed.find((s) => s.id === first.scheduleId)).toMatchObject({
      everyHours: EVERY_HOURS,
      benchmarks: [first.id],
    });

    // two repeats made by the schedule, besides the benchmark that created it
    const made = await eventually(
      async () => {
        const s = await schedule(first.scheduleId);
        return s.benchmarks.length >= 3 ? s : undefined;
      },
      180_000,
      'two repeats of the schedule',
    );
    expect(made.benchmarks[0]).toBe(first.id);
    const repeats = await Promise.all(
      made.benchmarks.slice(1, 3).map(async (id) => {
        const done = await eventually(
          async () => {
            const b = (await admin.get(`/api/v1/benchmarks/${id}`)).body;
            return b.endedAt ? b : undefined;
          },
          240_000,
          `repeat ${id} to end`,
        );
        return done;
      }),
    );
    for (const r of repeats) {
      expect(r).toMatchObject({
        state: 'completed',
        scheduleId: first.scheduleId,
        blueprint: expect.any(String),
      });
      // deployed (and torn down) like the first: the candidate reached its measuring step
      expect(r.candidates[0].state).toBe('not-measurable');
    }
    const { rows: audit } = await db.query(
      `SELECT resource_id FROM audit_log WHERE action = 'benchmark.create' AND actor_name = 'system'
          AND resource_id = ANY($1)`,
      [made.benchmarks.slice(1)],
    );
    expect(audit.length).toBe(made.benchmarks.length - 1);

    // deleted: no repeat starts after its next run was due
    const before = await schedule(first.scheduleId);
    expect((await admin.delete(`/api/v1/benchmark-schedules/${first.scheduleId}`)).status).toBe(204);
    const deletedAt = Date.now();
    // a repeat that a round started while the delete waited for the schedule's lock is counted
    const count = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM benchmarks WHERE schedule_id = $1`, [first.scheduleId]))
        .rows[0].n as number;
    const atDelete = await count();
    expect((await admin.get(`/api/v1/benchmark-schedules/${first.scheduleId}`)).status).toBe(404);
    const quietUntil = Math.max(deletedAt, Date.parse(before.nextRunAt)) + 3 * RECONCILE_MS;
    await eventually(
      async () => (Date.now() > quietUntil ? true : undefined),
      60_000,
      'the next run to pass',
    );
    expect(await count()).toBe(atDelete);
    const history = await admin.get('/api/v1/benchmarks?blueprint=three-tier-shop');
    const ids = (history.body.items as { id: string }[]).map((b) => b.id);
    for (const id of before.benchmarks) expect(ids).toContain(id);
  }, 600_000);

  it('syd benchmark run --every makes a schedule; schedules lists it; unschedule deletes it', async () => {
    const sydEnv = { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: testEnv().SWITCHYARD_ADMIN_TOKEN };
    const ran = await runSyd(
      [
        'benchmark',
        'run',
        'three-tier-shop',
        '-c',
        clouds.aws,
        '-p',
        'dbPassword=cli-secret',
        '-p',
        'appCount=1',
        '--runs',
        '1',
        '--every',
        '168',
        '--json',
      ],
      sydEnv,
    );
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const made = JSON.parse(ran.stdout) as { id: string; scheduleId: string };
    expect(made.scheduleId).toEqual(expect.any(String));
    const listed = await runSyd(['benchmark', 'schedules'], sydEnv);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+BLUEPRINT\s+EVERY \(H\)\s+NEXT RUN\s+RUNS\s+LATEST/m);
    expect(listed.stdout).toMatch(
      new RegExp(`^${made.scheduleId}\\s+three-tier-shop@\\S+\\s+168\\s+\\S+\\s+1\\s+${made.id}`, 'm'),
    );
    const gone = await runSyd(['benchmark', 'unschedule', made.scheduleId], sydEnv);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toBe(`${made.scheduleId} deleted\n`);
    expect((await admin.get(`/api/v1/benchmark-schedules/${made.scheduleId}`)).status).toBe(404);
  }, 120_000);
});
