import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { switchyardTags, type CloudAdapter } from '@switchyard/cloud-adapters';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { CloudInspector } from '../support/cloud-inspector.js';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

interface Instance {
  index: number;
  resourceId: string;
  state: string;
}

// The reconciler sweeps every deployment and account it can see, so this file runs its stack on
// a database of its own: in the shared one it would reach into other files' clouds.
describe('reconciler: drift, orphans, leases and ended sessions (moto)', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let database: { url: string; drop: () => Promise<void> };
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;
  let aws: CloudAdapter;
  let look: CloudInspector;
  // the subnet the first deployment had: freed by its terminate, the next one may take it
  let firstSubnet: string;

  beforeAll(async () => {
    [moto, vcsim, database] = await Promise.all([
      startMoto(),
      startVcsim(),
      migratedDatabase(testEnv().DATABASE_URL, 'reconcile'),
    ]);
    const env = await stackEnv({
      DATABASE_URL: database.url,
      RECONCILE_INTERVAL_MS: '1000',
      WORKER_CONCURRENCY: '4',
    });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
    aws = moto.adapter();
    look = await CloudInspector.open(db, { aws: moto, vsphere: vcsim, openstack: null });
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await db?.end();
    look?.close();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
    await database?.drop();
  });

  const deployment = async (id: string) => (await admin.get(`/api/v1/deployments/${id}`)).body;
  const settle = (id: string, states: string[]) =>
    eventually(
      async () => {
        const d = await deployment(id);
        return states.includes(d.state) && d.step === 'done' ? d : undefined;
      },
      150_000,
      `deployment ${id} to reach ${states.join('/')}`,
    );
  const instancesOf = (d: { tiers: { tier: string; instances: Instance[] }[] }, tier: string) =>
    d.tiers.find((t) => t.tier === tier)!.instances;
  const order = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await admin.post('/api/v1/orders', {
      blueprint: 'three-tier-shop',
      name,
      parameters: { dbPassword: 'x-secret-rc', appCount: 1 },
      placement: { default: clouds.aws },
      ...extra,
    });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };

  it('turns an instance deleted or stopped behind its back into events and instance states', async () => {
    const id = await order(`drift-${RUN}`);
    const running = await settle(id, ['running']);
    firstSubnet = running.networks[clouds.aws].subnet;
    const web = instancesOf(running, 'web')[0]!;
    const app = instancesOf(running, 'app')[0]!;
    expect(web.state).toBe('running');

    await aws.terminateInstance(web.resourceId);
    await aws.stopInstance(app.resourceId);

    const drifted = await eventually(
      async () => {
        const d = await deployment(id);
        const states = [instancesOf(d, 'web')[0]!.state, instancesOf(d, 'app')[0]!.state];
        return states[0] === 'missing' && states[1] === 'stopped' ? d : undefined;
      },
      60_000,
      'the reconciler to see the deleted and the stopped instance',
    );
    // the database tier was left alone
    expect(instancesOf(drifted, 'db')[0]!.state).toBe('running');
    const events = (await admin.get(`/api/v1/deployments/${id}/events`)).body.items as {
      type: string;
      data: Record<string, unknown>;
    }[];
    const drift = events.filter((e) => e.type === 'drift').map((e) => e.data);
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tier: 'web',
          cloudId: web.resourceId,
          expected: 'running',
          actual: 'missing',
        }),
        expect.objectContaining({
          tier: 'app',
          cloudId: app.resourceId,
          expected: 'running',
          actual: 'stopped',
        }),
      ]),
    );
    expect(drift).toHaveLength(2);

    // terminate still removes what is left, the missing instance included
    expect((await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' })).status).toBe(202);
    expect((await settle(id, ['terminated', 'failed'])).state).toBe('terminated');
    expect(await aws.describeInstances({ 'switchyard:deployment': id })).toEqual([]);
    // nor its subnet, groups or interfaces, on the cloud or in the fabric
    expect(await look.leftOnClouds(id)).toEqual([]);
    expect(await look.fabricLeft(id)).toEqual([]);
  }, 240_000);

  it('reports an orphan tagged as Switchyard’s, and removes it once the account allows it', async () => {
    const net = await aws.ensureNetwork(moto.fixtures.network);
    const ghost = randomUUID();
    const orphan = await aws.createInstance({
      idempotencyKey: `orphan-${RUN}`,
      name: `orphan-${RUN}`,
      instanceType: moto.fixtures.instanceType,
      image: moto.fixtures.image,
      network: net.id,
      tags: switchyardTags(ghost, 'web', 0),
    });
    const stranger = await aws.createInstance({
      idempotencyKey: `stranger-${RUN}`,
      name: `stranger-${RUN}`,
      instanceType: moto.fixtures.instanceType,
      image: moto.fixtures.image,
      network: net.id,
      tags: { team: 'not-switchyard' },
    });
    const orphans = `/api/v1/cloud-accounts/${clouds.awsAccountId}/orphans`;

    const found = await eventually(
      async () => {
        const items = (await admin.get(orphans)).body.items as { resourceId: string }[];
        return items.find((o) => o.resourceId === orphan.id) ? items : undefined;
      },
      60_000,
      'the orphan to be reported',
    );
    expect(found.map((o) => o.resourceId)).not.toContain(stranger.id);
    expect(found.find((o) => o.resourceId === orphan.id)).toMatchObject({
      environment: clouds.aws,
      reason: `no deployment ${ghost}`,
      tags: expect.objectContaining({ 'switchyard:deployment': ghost }),
      removedAt: null,
    });
    // reported only: the account does not allow removal yet
    expect((await aws.describeInstance(orphan.id)).state).toBe('running');

    const allow = await admin.patch(`/api/v1/cloud-accounts/${clouds.awsAccountId}`, { removeOrphans: true });
    expect(allow.status).toBe(200);
    expect(allow.body.removeOrphans).toBe(true);
    await eventually(
      async () =>
        ['terminated', 'terminating'].includes((await aws.describeInstance(orphan.id)).state) || undefined,
      60_000,
      'the orphan to be terminated',
    );
    const history = (await admin.get(`${orphans}?all=true`)).body.items as {
      resourceId: string;
      removedAt: string | null;
    }[];
    expect(history.find((o) => o.resourceId === orphan.id)?.removedAt).toEqual(expect.any(String));
    expect(
      ((await admin.get(orphans)).body.items as { resourceId: string }[]).map((o) => o.resourceId),
    ).not.toContain(orphan.id);
    // what is not Switchyard's is never touched
    expect((await aws.describeInstance(stranger.id)).state).toBe('running');
    await aws.terminateInstance(stranger.id);
    await admin.patch(`/api/v1/cloud-accounts/${clouds.awsAccountId}`, { removeOrphans: false });
  }, 180_000);

  it('terminates a deployment whose lease ran out', async () => {
    const id = await order(`lease-${RUN}`, { leaseHours: 1 });
    const running = await settle(id, ['running']);
    expect(running.leaseHours).toBe(1);
    // the terminated first deployment removed its subnet from the cloud, so its block is free again
    expect(running.networks[clouds.aws].subnet).toBe(firstSubnet);
    expect(Date.parse(running.leaseExpiresAt) - Date.parse(running.createdAt)).toBe(3_600_000);
    // an hour is long for a test: the order is made two hours older instead
    await db.query(`UPDATE deployments SET created_at = created_at - interval '2 hours' WHERE id = $1`, [id]);
    const ended = await settle(id, ['terminated', 'failed']);
    expect(ended.state).toBe('terminated');
    const types = (
      (await admin.get(`/api/v1/deployments/${id}/events`)).body.items as { type: string }[]
    ).map((e) => e.type);
    expect(types).toContain('lease.expired');
    expect(await aws.describeInstances({ 'switchyard:deployment': id })).toEqual([]);
    expect(await look.leftOnClouds(id)).toEqual([]);
    expect(await look.fabricLeft(id)).toEqual([]);
  }, 240_000);

  it('deletes sign-in sessions that ended over a day ago, and nothing else', async () => {
    const { rows } = await db.query(`SELECT id, tenant_id FROM users WHERE name = 'admin' LIMIT 1`);
    const admin = rows[0] as { id: string; tenant_id: string };
    const token = async (name: string, kind: string, expires: string, revoked: string | null = null) =>
      (
        await db.query(
          `INSERT INTO api_tokens (tenant_id, user_id, name, role, token_hash, hint, kind, expires_at, revoked_at)
           VALUES ($1, $2, $3::text, 'admin', encode(sha256(convert_to($3::text, 'UTF8')), 'hex'), 'syd_…', $4, now() + $5::interval,
                   now() + $6::interval)
           RETURNING id`,
          [admin.tenant_id, admin.id, `${name}-${RUN}`, kind, expires, revoked],
        )
      ).rows[0].id as string;
    const expired = await token('expired-session', 'session', '-2 days');
    const revoked = await token('revoked-session', 'session', '+10 hours', '-3 days');
    const recent = await token('recently-expired-session', 'session', '-1 hour');
    const live = await token('live-session', 'session', '+10 hours');
    const oldApiToken = await token('expired-api-token', 'api', '-30 days');
    const left = async () =>
      (
        await db.query(`SELECT id FROM api_tokens WHERE id = ANY($1)`, [
          [expired, revoked, recent, live, oldApiToken],
        ])
      ).rows.map((r: { id: string }) => r.id);
    await eventually(async () => (await left()).length === 3 || undefined, 30_000, 'the sweep');
    expect((await left()).sort()).toEqual([recent, live, oldApiToken].sort());
  }, 60_000);
});
