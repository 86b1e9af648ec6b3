import type pg from 'pg';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { testEnv } from '../support/test-env.js';

// A tier scaled down and up again: the instances at the freed indexes are new ones, on the cloud
// and in the fabric, and the removed ones leave nothing behind (moto and vcsim alike).

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

interface Instance {
  state: string;
  resourceId: string;
  address: string;
}

describe('scaling a tier down and up again', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    const env = await stackEnv({ WORKER_CONCURRENCY: '4' });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    db = await testDb();
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await db?.end();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  const settle = (id: string, after: string) =>
    eventually(
      async () => {
        const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
        // a failed scale leaves the deployment running, its failure said, the step not done
        return d.step === 'done' || d.failure || d.state === 'failed' ? d : undefined;
      },
      150_000,
      `deployment ${id} to settle after ${after}`,
    );

  // the fabric endpoints of the deployment's app tier, by address
  const appEndpoints = async (id: string) =>
    (
      await db.query<{ ipv4: string }>(
        `SELECT ipv4 FROM fabric_endpoints WHERE endpoint_id LIKE $1 ORDER BY ipv4`,
        [`sy-${id.replace(/-/g, '').slice(0, 12)}-app-%`],
      )
    ).rows.map((r) => r.ipv4);

  it.each([
    ['AWS (moto)', () => ({ cloud: clouds.aws, peer: moto })],
    ['vSphere (vcsim)', () => ({ cloud: clouds.vsphere, peer: vcsim })],
  ])(
    'scales app 2 → 3 → 1 → 3 on %s: new instances at the freed indexes, nothing left of the removed ones',
    async (_name, where) => {
      const { cloud, peer } = where();
      const res = await admin.post('/api/v1/orders', {
        blueprint: 'three-tier-shop@^1.2',
        name: `scale-${peer === moto ? 'aws' : 'vs'}-${RUN}`,
        parameters: { appCount: 2, dbPassword: 'hunter2-secret' },
        placement: { default: clouds.aws, tiers: { app: cloud } },
      });
      expect(res.status).toBe(202);
      const id = res.body.id as string;
      expect((await settle(id, 'its order')).state).toBe('running');

      // what the deployment, the cloud and the fabric say of the app tier, after each scale
      const seen: Instance[][] = [];
      for (const count of [3, 1, 3]) {
        const acted = await admin.post(`/api/v1/deployments/${id}/actions`, {
          action: 'scale',
          tier: 'app',
          count,
        });
        expect(acted.status).toBe(202);
        const d = await settle(id, `a scale of app to ${count}`);
        expect({ count, state: d.state, failure: d.failure }).toEqual({
          count,
          state: 'running',
          failure: null,
        });
        const app = d.tiers.find((t: { tier: string }) => t.tier === 'app');
        const instances = app.instances as Instance[];
        expect({ count, instances: instances.length, tierCount: app.count }).toEqual({
          count,
          instances: count,
          tierCount: count,
        });
        for (const i of instances) expect(i.state).toBe('running');
        const addresses = instances.map((i) => i.address).sort();
        expect(new Set(addresses).size).toBe(count);
        expect(new Set(instances.map((i) => i.resourceId)).size).toBe(count);

        // the cloud runs exactly these, at exactly these addresses
        const onCloud = await peer.adapter().describeInstances({
          'switchyard:deployment': id,
          'switchyard:tier': 'app',
        });
        expect(onCloud.map((i) => i.id).sort()).toEqual(instances.map((i) => i.resourceId).sort());
        // the fabric holds an endpoint for each, and none for a removed one
        expect(await appEndpoints(id)).toEqual([...addresses].sort());
        seen.push(instances);
      }

      // back at 3: the instances at the freed indexes are new ones, not the removed ones
      const [three, one, again] = seen as [Instance[], Instance[], Instance[]];
      const kept = one[0]!.resourceId;
      const removed = three.map((i) => i.resourceId).filter((r) => r !== kept);
      expect(removed).toHaveLength(2);
      const added = again.map((i) => i.resourceId).filter((r) => r !== kept);
      expect(added).toHaveLength(2);
      for (const r of added) expect(removed).not.toContain(r);

      expect((await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' })).status).toBe(
        202,
      );
      const gone = await eventually(
        async () => {
          const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
          return ['terminated', 'failed'].includes(d.state) && d.step === 'done' ? d : undefined;
        },
        150_000,
        `deployment ${id} to be removed`,
      );
      expect(gone.state).toBe('terminated');
      expect(await peer.adapter().describeInstances({ 'switchyard:deployment': id })).toEqual([]);
      expect(await appEndpoints(id)).toEqual([]);
    },
    600_000,
  );
});
