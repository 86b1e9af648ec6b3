import type pg from 'pg';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { CloudInspector } from '../support/cloud-inspector.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { runSyd } from '../support/syd.js';
import { testEnv } from '../support/test-env.js';

const RUN = `b${Date.now().toString(36)}`;
const NO_WORKLOAD = "not measurable here: this environment's instances run no workload";
const params = { dbPassword: 'bench-secret', appCount: 1 };

describe('benchmarks on simulated clouds', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let api: Proc & { url: string };
  let env: Record<string, string>;
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;
  let look: CloudInspector;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    // short locks: a killed worker's jobs come back within seconds
    env = await stackEnv({
      WORKER_LOCK_DURATION_MS: '3000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      RECONCILE_INTERVAL_MS: '0',
    });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = await testDb();
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
    look = await CloudInspector.open(db, { aws: moto, vsphere: vcsim, openstack: null });
    look.providers.set(clouds.aws, 'aws').set(clouds.vsphere, 'vsphere');
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await db?.end();
    look?.close();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  const start = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/benchmarks', {
      blueprint: 'three-tier-shop',
      parameters: params,
      ...body,
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/v1/benchmarks/${res.body.id}`);
    return res.body as { id: string; candidates: { deploymentId: string }[] };
  };
  const ended = (id: string, ms = 240_000) =>
    eventually(
      async () => {
        const b = (await admin.get(`/api/v1/benchmarks/${id}`)).body;
        return b.endedAt ? b : undefined;
      },
      ms,
      `benchmark ${id} to end`,
    );
  /** The candidate deployments' rows and what is left of them on the clouds. */
  const leftovers = async (deploymentIds: string[]) => {
    const { rows } = await db.query(
      `SELECT id, state, labels FROM deployments WHERE id = ANY($1) ORDER BY created_at`,
      [deploymentIds],
    );
    const onClouds = (await Promise.all(deploymentIds.map((d) => look.leftOnClouds(d)))).flat();
    return { rows: rows as { id: string; state: string; labels: Record<string, string> }[], onClouds };
  };

  it('deploys each candidate (a mixed placement too), says "not measurable here" with no numbers, and tears everything down', async () => {
    const b = await start({
      runs: 2,
      candidates: [
        { placement: { default: clouds.aws } },
        { placement: { default: clouds.aws, tiers: { db: clouds.vsphere } } },
      ],
      slo: { p95Ms: 200 },
    });
    const done = await ended(b.id);
    expect(done.state).toBe('completed');
    expect(done.load).toMatchObject({ target: 'web', path: '/', concurrency: 16, requests: 2000 });
    for (const c of done.candidates) {
      expect(c).toMatchObject({ state: 'not-measurable', reason: NO_WORKLOAD, result: null, runsDone: 0 });
    }
    expect(done.candidates[1].environments).toEqual([clouds.aws, clouds.vsphere].sort());
    // the mixed candidate's cost is the planner's: web+app on AWS t3 types, db on the vSphere size
    expect(Number(done.candidates[1].cost.hourly.amount)).toBeGreaterThan(0);
    expect(done.ranking).toMatchObject({ bestValue: null, fastest: null, notes: [] });
    expect(done.leftBehind).toEqual([]);
    const ids = done.candidates.map((c: { deploymentId: string }) => c.deploymentId);
    const { rows, onClouds } = await leftovers(ids);
    // every candidate was really deployed (running before its teardown) and is gone now
    expect(rows.map((r) => [r.state, r.labels])).toEqual(ids.map(() => ['terminated', { benchmark: b.id }]));
    const running = await db.query(
      `SELECT count(DISTINCT deployment_id)::int AS n FROM deployment_events
        WHERE deployment_id = ANY($1) AND data->>'state' = 'running'`,
      [ids],
    );
    expect(running.rows[0].n).toBe(2);
    expect(onClouds).toEqual([]);
    // exports: CSV says why for each candidate; no samples were invented
    const csv = await admin.get(`/api/v1/benchmarks/${b.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(csv.text).toContain(`,${NO_WORKLOAD}\r\n`);
    expect((await admin.get(`/api/v1/benchmarks/${b.id}/samples`)).body).toEqual([]);
    const listed = await admin.get(
      `/api/v1/benchmarks?blueprint=three-tier-shop&environment=${clouds.vsphere}`,
    );
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(b.id);
  }, 300_000);

  it('syd benchmark run --wait shows each candidate progress and the table; show prints it again', async () => {
    const sydEnv = { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: testEnv().SWITCHYARD_ADMIN_TOKEN };
    const ran = await runSyd(
      [
        'benchmark',
        'run',
        'three-tier-shop',
        '-c',
        clouds.vsphere,
        '-p',
        'dbPassword=cli-secret',
        '-p',
        'appCount=1',
        '--runs',
        '3',
        '--wait',
      ],
      sydEnv,
    );
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const lines = ran.stdout.split('\n');
    // progress per candidate: deploying, then its end (polled each second, so the steps seen vary)
    expect(lines.some((l) => /^ {2}\[1\] \S+: deploying \((deploy|await-running)\)$/.test(l))).toBe(true);
    expect(lines).toContain(`  [1] ${clouds.vsphere}: not-measurable — ${NO_WORKLOAD}`);
    const id = /^([0-9a-f-]{36}) completed {2}three-tier-shop@/m.exec(ran.stdout)?.[1];
    expect(id).toBeDefined();
    expect(ran.stdout).toMatch(/^#\s+CANDIDATE\s+STATE\s+REQ\/S\s+95% CI/m);
    const shown = await runSyd(['benchmark', 'show', id!], sydEnv);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`3 runs per candidate`);
    expect(shown.stdout).toMatch(
      new RegExp(`^1\\s+${clouds.vsphere}\\s+not-measurable\\s+.*${NO_WORKLOAD.slice(0, 20)}`, 'm'),
    );
  }, 240_000);

  it('refuses a bad request naming each bad field, and writes nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM benchmarks`)).rows[0].n;
    const res = await admin.post('/api/v1/benchmarks', {
      blueprint: 'three-tier-shop',
      parameters: params,
      runs: 0,
      candidates: [
        { placement: { default: clouds.aws }, instanceTypes: { web: 'no-such-type', nope: 't3.small' } },
        { placement: { default: 'no-such-env' } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain('runs');
    const again = await admin.post('/api/v1/benchmarks', {
      blueprint: 'three-tier-shop',
      parameters: params,
      candidates: [
        { placement: { default: clouds.aws }, instanceTypes: { web: 'no-such-type' } },
        { placement: { default: 'no-such-env' } },
        { placement: { default: clouds.aws }, instanceTypes: { nope: 't3.small' } },
      ],
    });
    expect(again.status).toBe(400);
    expect(again.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'candidates.0.instanceTypes.web',
      'candidates.1.placement.default',
      'candidates.2.instanceTypes.nope',
    ]);
    expect((await db.query(`SELECT count(*)::int AS n FROM benchmarks`)).rows[0].n).toBe(before);
  });

  it('cancel (DELETE) tears down the candidate being deployed and cancels the rest', async () => {
    const b = await start({
      runs: 1,
      candidates: [{ placement: { default: clouds.aws } }, { placement: { default: clouds.vsphere } }],
    });
    // cancel once the first candidate's deployment exists
    await eventually(
      async () =>
        (await db.query(`SELECT 1 FROM deployments WHERE id = $1`, [b.candidates[0]!.deploymentId])).rowCount,
      60_000,
      'the first candidate deployment',
    );
    const res = await admin.delete(`/api/v1/benchmarks/${b.id}`);
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('cancelling');
    const done = await ended(b.id);
    expect(done.state).toBe('cancelled');
    expect(done.candidates.map((c: { state: string }) => c.state)).toEqual(['cancelled', 'cancelled']);
    expect(done.candidates[1].reason).toBe('cancelled before it started');
    const ids = done.candidates.map((c: { deploymentId: string }) => c.deploymentId);
    const { rows, onClouds } = await leftovers(ids);
    expect(rows.map((r) => r.state)).toEqual(['terminated']);
    expect(onClouds).toEqual([]);
    expect((await admin.delete(`/api/v1/benchmarks/${b.id}`)).status).toBe(409);
  }, 300_000);

  it('a worker killed -9 during a benchmark: another resumes it, and no deployment is left', async () => {
    const b = await start({
      runs: 1,
      candidates: [{ placement: { default: clouds.vsphere } }, { placement: { default: clouds.aws } }],
    });
    // kill while the first candidate's deployment is provisioning, then again in the second's
    for (const c of b.candidates) {
      await eventually(
        async () =>
          (
            await db.query(`SELECT 1 FROM deployments WHERE id = $1 AND state = 'provisioning'`, [
              c.deploymentId,
            ])
          ).rowCount,
        120_000,
        `candidate deployment ${c.deploymentId} provisioning`,
      );
      await worker.kill9();
      worker = await startWorker(env);
    }
    const done = await ended(b.id);
    expect(done.state).toBe('completed');
    expect(done.candidates.map((c: { state: string }) => c.state)).toEqual([
      'not-measurable',
      'not-measurable',
    ]);
    const { rows, onClouds } = await leftovers(b.candidates.map((c) => c.deploymentId));
    expect(rows.map((r) => r.state)).toEqual(['terminated', 'terminated']);
    expect(onClouds).toEqual([]);
    // nothing of the benchmark's is left anywhere: no other deployment carries its label
    const labelled = await db.query(
      `SELECT count(*)::int AS n FROM deployments WHERE labels->>'benchmark' = $1`,
      [b.id],
    );
    expect(labelled.rows[0].n).toBe(2);
  }, 360_000);
});
