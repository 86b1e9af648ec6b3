import type pg from 'pg';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { testEnv } from '../support/test-env.js';

const RUN = `q${Date.now().toString(36)}`;

describe('quotas apply to benchmark deployments', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    const env = await stackEnv({ RECONCILE_INTERVAL_MS: '0' });
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

  it('a candidate that would exceed a quota ends failed with quota.exceeded and is never deployed; the others run', async () => {
    const quota = await admin.request('PUT', '/api/v1/quotas', {
      tenant: 'default',
      environment: clouds.vsphere,
      instances: 0,
    });
    expect(quota.status).toBe(200);
    const res = await admin.post('/api/v1/benchmarks', {
      blueprint: 'three-tier-shop',
      parameters: { dbPassword: 'bench-secret', appCount: 1 },
      runs: 1,
      candidates: [{ placement: { default: clouds.vsphere } }, { placement: { default: clouds.aws } }],
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    const done = await eventually(
      async () => {
        const b = (await admin.get(`/api/v1/benchmarks/${id}`)).body;
        return b.endedAt ? b : undefined;
      },
      240_000,
      `benchmark ${id} to end`,
    );
    expect(done.state).toBe('completed');
    expect(done.candidates[0].state).toBe('failed');
    expect(done.candidates[0].reason).toMatch(/^quota\.exceeded: /);
    expect(done.candidates[1].state).toBe('not-measurable');
    const { rows } = await db.query(`SELECT id FROM deployments WHERE id = $1`, [
      done.candidates[0].deploymentId,
    ]);
    expect(rows).toEqual([]);
    // the deployed candidate held a reservation while it ran, released at its teardown
    const { rows: held } = await db.query(
      `SELECT count(*)::int AS n FROM quota_reservations WHERE deployment_id = $1`,
      [done.candidates[1].deploymentId],
    );
    expect(held[0].n).toBe(0);
  }, 300_000);
});
