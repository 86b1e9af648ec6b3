import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

// Issue 15: a deployment's cost follows the instances it has (after a scale, a stop, a terminate,
// a rollback), and GET /api/v1/spend adds them up.

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);
const PARAMETERS = { appCount: 2, dbPassword: 'hunter2-secret' };

interface Money {
  amount: string;
  currency: string;
}
interface Rate {
  hourly: Money;
  monthly: Money;
}
interface TierPlan {
  tier: string;
  count: number;
  perInstance: Rate;
}

// exact decimals as integers of 10^-10, as the API computes them
const units = (m: Money) => {
  const [whole = '0', fraction = ''] = m.amount.split('.');
  return BigInt(whole) * 10n ** 10n + BigInt(fraction.padEnd(10, '0'));
};

describe('what a deployment costs, and the spend total', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let clouds: SimulatedClouds;
  let perInstance: Record<string, Rate>;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    // a database of its own: the spend adds up every deployment an admin can list
    database = await migratedDatabase(testEnv().DATABASE_URL, 'cost');
    const env = await stackEnv({ DATABASE_URL: database.url, WORKER_CONCURRENCY: '4' });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
    const plan = await admin.post('/api/v1/blueprints/three-tier-shop/versions/latest/plan', {
      parameters: PARAMETERS,
      placement: { default: clouds.aws },
    });
    expect(plan.status).toBe(200);
    perInstance = Object.fromEntries((plan.body.tiers as TierPlan[]).map((t) => [t.tier, t.perInstance]));
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await database?.drop();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  const settle = (id: string, states: string[]) =>
    eventually(
      async () => {
        const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
        // a failed action (a scale) leaves the deployment as it was, its failure said, the step not done
        return states.includes(d.state) && (d.step === 'done' || d.state === 'failed' || d.failure)
          ? d
          : undefined;
      },
      150_000,
      `deployment ${id} to reach ${states.join('/')}`,
    );

  const act = async (id: string, body: Record<string, unknown>) =>
    expect((await admin.post(`/api/v1/deployments/${id}/actions`, body)).status).toBe(202);

  // what `counts` instances of each tier bill per hour and per month, from the plan's prices
  const priceOf = (counts: Record<string, number>) => {
    let hourly = 0n;
    let monthly = 0n;
    for (const [tier, n] of Object.entries(counts)) {
      hourly += units(perInstance[tier]!.hourly) * BigInt(n);
      monthly += units(perInstance[tier]!.monthly) * BigInt(n);
    }
    return { hourly, monthly };
  };
  const rateOf = (r: Rate) => ({ hourly: units(r.hourly), monthly: units(r.monthly) });
  const ZERO = { hourly: 0n, monthly: 0n };
  const spend = async () => {
    const res = await admin.get('/api/v1/spend');
    expect(res.status).toBe(200);
    return res.body;
  };

  it('follows a scale from 2 to 3, down to 1 and up to 2 again, a stop and a terminate, in the deployment, its list row and the spend', async () => {
    const res = await admin.post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name: `cost-${RUN}`,
      parameters: PARAMETERS,
      placement: { default: clouds.aws },
    });
    expect(res.status).toBe(202);
    // nothing runs yet, so nothing is billed
    expect(rateOf(res.body.cost)).toEqual(ZERO);
    const id = res.body.id as string;

    const running = await settle(id, ['running', 'failed']);
    expect(running.state).toBe('running');
    const two = priceOf({ web: 1, app: 2, db: 1 });
    expect(rateOf(running.cost)).toEqual(two);
    expect(running.cost.hourly.currency).toBe('USD');

    await act(id, { action: 'scale', tier: 'app', count: 3 });
    const scaled = await settle(id, ['running']);
    const three = priceOf({ web: 1, app: 3, db: 1 });
    expect(three.hourly).toBeGreaterThan(two.hourly);
    expect(rateOf(scaled.cost)).toEqual(three);
    const app = scaled.tiers.find((t: { tier: string }) => t.tier === 'app');
    expect({ count: app.count, cost: rateOf(app.cost) }).toEqual({ count: 3, cost: priceOf({ app: 3 }) });
    // the list says the same as the deployment
    const listed = (await admin.get('/api/v1/deployments')).body.items.find(
      (d: { id: string }) => d.id === id,
    );
    expect(rateOf(listed.cost)).toEqual(three);

    // the spend: this deployment's run rate, and what it has cost so far
    const now = await spend();
    expect(now.currencies).toHaveLength(1);
    const usd = now.currencies[0];
    expect(usd).toMatchObject({ currency: 'USD', deployments: 1, instances: 5 });
    expect(rateOf(usd.runRate)).toEqual(three);
    expect(usd.byEnvironment).toEqual([
      expect.objectContaining({ environment: clouds.aws, provider: 'aws', instances: 5 }),
    ]);
    expect(rateOf(usd.byEnvironment[0].runRate)).toEqual(three);
    expect(units(usd.total)).toBeGreaterThanOrEqual(units(scaled.cost.soFar));
    expect(units(usd.monthForecast)).toBeGreaterThanOrEqual(units(usd.monthToDate));
    expect(new Date(now.monthStart).getUTCDate()).toBe(1);

    // down to one app server, and up to two again: the cost follows both ways
    await act(id, { action: 'scale', tier: 'app', count: 1 });
    const down = await settle(id, ['running', 'failed']);
    expect({ state: down.state, failure: down.failure }).toEqual({ state: 'running', failure: null });
    const one = priceOf({ web: 1, app: 1, db: 1 });
    expect(rateOf(down.cost)).toEqual(one);
    expect(rateOf((await spend()).currencies[0].runRate)).toEqual(one);
    await act(id, { action: 'scale', tier: 'app', count: 2 });
    const up = await settle(id, ['running', 'failed']);
    expect({ state: up.state, failure: up.failure }).toEqual({ state: 'running', failure: null });
    expect(rateOf(up.cost)).toEqual(two);
    expect(rateOf(up.tiers.find((t: { tier: string }) => t.tier === 'app').cost)).toEqual(
      priceOf({ app: 2 }),
    );
    expect((await spend()).currencies[0]).toMatchObject({ deployments: 1, instances: 4 });
    expect(rateOf((await spend()).currencies[0].runRate)).toEqual(two);
    // what it has cost so far counts the removed servers' time too, and goes on growing
    expect(units(up.cost.soFar)).toBeGreaterThanOrEqual(units(scaled.cost.soFar));

    // stopped: the disks are all that is billed, and these price lists do not price disks
    await act(id, { action: 'stop' });
    const stopped = await settle(id, ['stopped']);
    expect(rateOf(stopped.cost)).toEqual(ZERO);
    expect(rateOf((await spend()).currencies[0].runRate)).toEqual(ZERO);
    await act(id, { action: 'start' });
    expect(rateOf((await settle(id, ['running'])).cost)).toEqual(two);

    await act(id, { action: 'terminate' });
    const gone = await settle(id, ['terminated']);
    expect(rateOf(gone.cost)).toEqual(ZERO);
    expect(gone.tiers.map((t: { cost: Rate }) => rateOf(t.cost))).toEqual(gone.tiers.map(() => ZERO));
    // what it cost while it ran stays
    expect(units(gone.cost.soFar)).toBeGreaterThanOrEqual(units(scaled.cost.soFar));
    const after = (await spend()).currencies[0];
    expect(after).toMatchObject({ deployments: 0, instances: 0 });
    expect(rateOf(after.runRate)).toEqual(ZERO);
    expect(after.total).toEqual(gone.cost.soFar);
  }, 600_000);

  it('bills nothing for a deployment that failed and rolled back', async () => {
    // a template vcsim does not have: the first clone fails, the rollback removes the rest
    const broken = `e2e-vs-broken-${RUN}`;
    const env = (await admin.get(`/api/v1/environments/${clouds.vsphere}`)).body;
    const made = await admin.post('/api/v1/environments', {
      name: broken,
      account: clouds.vsphereAccountId,
      images: [{ os: 'ubuntu', version: '22.04', imageId: 'no-such-template' }],
      priceList: env.priceList,
    });
    expect(made.status).toBe(201);
    const res = await admin.post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name: `cost-broken-${RUN}`,
      parameters: PARAMETERS,
      placement: { default: broken },
    });
    expect(res.status).toBe(202);
    const failed = await settle(res.body.id, ['failed', 'running']);
    expect(failed.state).toBe('failed');
    expect(failed.tiers.flatMap((t: { instances: unknown[] }) => t.instances)).toEqual([]);
    expect(rateOf(failed.cost)).toEqual(ZERO);
    const listed = (await admin.get('/api/v1/deployments?state=failed')).body.items;
    expect(listed.map((d: { cost: Rate }) => rateOf(d.cost))).toEqual(listed.map(() => ZERO));
    expect(rateOf((await spend()).currencies[0].runRate)).toEqual(ZERO);
  }, 300_000);
});
