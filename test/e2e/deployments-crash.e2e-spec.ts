import type pg from 'pg';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { testEnv } from '../support/test-env.js';

const RUN = `c${Date.now().toString(36)}`;
const DEPLOYMENTS = 20;
describe('deployments survive a worker killed -9 again and again', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let api: Proc & { url: string };
  let env: Record<string, string>;
  const workers: Proc[] = [];
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    // short locks: a killed worker's steps come back within seconds
    env = await stackEnv({
      WORKER_CONCURRENCY: '6',
      WORKER_LOCK_DURATION_MS: '3000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      RECONCILE_INTERVAL_MS: '0',
    });
    api = await startApi(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = await testDb();
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await api?.stop();
    await db?.end();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  it(`brings ${DEPLOYMENTS} deployments to running or rolled back, with no duplicate instance and no leaked address`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < DEPLOYMENTS; i++) {
      const res = await admin.post('/api/v1/orders', {
        blueprint: 'three-tier-shop',
        name: `crash-${RUN}-${i}`,
        parameters: { dbPassword: 'crash-secret', appCount: 1 },
        placement: { default: clouds.aws, tiers: { db: clouds.vsphere } },
      });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    const settled = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM deployments WHERE id = ANY($1) AND step = 'done' AND state IN ('running', 'failed')`,
          [ids],
        )
      ).rows[0].n as number;

    // steps committed so far (each commit writes one of these events)
    const committed = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM deployment_events
            WHERE deployment_id = ANY($1) AND type IN ('state', 'step.failed')`,
          [ids],
        )
      ).rows[0].n as number;
    // kill the worker three times, each after a random few commits (wherever the steps are then:
    // mid-call, mid-commit, between steps), then let a last one finish; counting commits rather
    // than seconds keeps the kills inside the run however fast the clouds answer
    // (polled tightly: the simulated clouds answer in milliseconds, and 60 commits finish the run)
    for (let kill = 0; kill < 3; kill++) {
      const worker = await startWorker(env);
      workers.push(worker);
      const target = (await committed()) + 2 + Math.floor(Math.random() * 8);
      const deadline = Date.now() + 120_000;
      while ((await committed()) < target) {
        if (Date.now() > deadline) throw new Error(`${target} committed steps not reached`);
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      await worker.kill9();
    }
    expect(await settled()).toBeLessThan(DEPLOYMENTS);
    workers.push(await startWorker(env));
    await eventually(async () => (await settled()) === DEPLOYMENTS, 240_000, 'every deployment to settle');

    const { rows } = await db.query(
      `SELECT d.id, d.state, count(i.*)::int AS live
         FROM deployments d LEFT JOIN deployment_instances i ON i.deployment_id = d.id AND i.state <> 'terminated'
        WHERE d.id = ANY($1) GROUP BY d.id, d.state`,
      [ids],
    );
    for (const row of rows as { id: string; state: string; live: number }[]) {
      const onClouds = [
        ...(await moto.adapter().describeInstances({ 'switchyard:deployment': row.id })),
        ...(await vcsim.adapter().describeInstances({ 'switchyard:deployment': row.id })),
      ];
      const keys = onClouds.map((i) => `${i.tags['switchyard:tier']}-${i.tags['switchyard:index']}`);
      // no duplicate: each (tier, index) exists at most once on the clouds
      expect(new Set(keys).size).toBe(keys.length);
      const prefix = `sy-${row.id.replace(/-/g, '').slice(0, 12)}-%`;
      const endpoints = (
        await db.query(`SELECT count(*)::int AS n FROM fabric_endpoints WHERE endpoint_id LIKE $1`, [prefix])
      ).rows[0].n;
      if (row.state === 'running') {
        expect(onClouds).toHaveLength(3);
        expect(row.live).toBe(3);
        expect(endpoints).toBe(3);
      } else {
        // rolled back: nothing left on the clouds, no address held
        expect(onClouds).toHaveLength(0);
        expect(endpoints).toBe(0);
      }
    }
  }, 420_000);
});
