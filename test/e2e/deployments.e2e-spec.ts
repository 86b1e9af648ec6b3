import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type pg from 'pg';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, priceList, type SimulatedClouds } from '../support/simulated-clouds.js';
import { readSse, type SseFrame } from '../support/sse.js';
import { runSyd } from '../support/syd.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

describe('orders and deployments across clouds (moto, vcsim)', () => {
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

  const order = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    admin.post('/api/v1/orders', body, headers);

  const settle = (id: string, states: string[]) =>
    eventually(
      async () => {
        const d = (await admin.get(`/api/v1/deployments/${id}`)).body;
        return states.includes(d.state) && d.step === 'done' ? d : undefined;
      },
      150_000,
      `deployment ${id} to reach ${states.join('/')}`,
    );

  it('places a three-tier blueprint across AWS and vSphere, wired by the fabric, and removes it all', async () => {
    const res = await order({
      blueprint: 'three-tier-shop@^1.2',
      name: `shop-${RUN}`,
      parameters: { appCount: 2, dbPassword: 'hunter2-secret' },
      placement: { default: clouds.aws, tiers: { db: clouds.vsphere } },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/v1/deployments/${res.body.id}`);
    const id = res.body.id as string;

    const d = await settle(id, ['running', 'failed']);
    expect(d.failure).toBeNull();
    expect(d.state).toBe('running');
    const byTier = Object.fromEntries(d.tiers.map((t: { tier: string }) => [t.tier, t]));
    expect(byTier.db.environment).toBe(clouds.vsphere);
    expect(byTier.app.instances).toHaveLength(2);
    const instances = d.tiers.flatMap((t: { instances: unknown[] }) => t.instances);
    expect(instances).toHaveLength(4);
    for (const i of instances)
      expect(i).toMatchObject({
        state: 'running',
        resourceId: expect.any(String),
        address: expect.any(String),
      });
    expect(d.outputs.url).toBe(`https://${byTier.web.instances[0].address}/`);
    // the secret parameter never comes back
    expect(JSON.stringify(d)).not.toContain('hunter2-secret');
    expect(d.parameters.dbPassword).toBe('********');

    // addresses: the fabric handed them out, and the clouds carry exactly those
    const aws = moto.adapter();
    const onAws = await aws.describeInstances({ 'switchyard:deployment': id });
    expect(onAws.map((i) => i.privateIp).sort()).toEqual(
      instances
        .filter((i: { environment: string }) => i.environment === clouds.aws)
        .map((i: { address: string }) => i.address)
        .sort(),
    );
    const endpoints = await db.query(
      `SELECT count(*)::int AS n FROM fabric_endpoints WHERE endpoint_id LIKE $1`,
      [`sy-${id.replace(/-/g, '').slice(0, 12)}-%`],
    );
    expect(endpoints.rows[0].n).toBe(4);

    expect(d.networks[clouds.aws].subnet).toMatch(/^172\.31\.\d+\.0\/24$/);
    // the compiled whitelist reached the cloud: web's group lets exactly 80 and 443 in from anywhere,
    // app's group 8080 from web's network and 22 from the admin CIDR; the deny-all is reported
    const ec2 = new EC2Client({
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'AKIDSWITCHYARDTEST', secretAccessKey: 'switchyard-test-secret' },
    });
    const prefix = `d-${id.replace(/-/g, '').slice(0, 12)}`;
    const ingress = async (tier: string) => {
      const { SecurityGroups } = await ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [{ Name: 'group-name', Values: [`${prefix}-${tier}`] }],
        }),
      );
      return (SecurityGroups?.[0]?.IpPermissions ?? [])
        .flatMap((p) => (p.IpRanges ?? []).map((r) => `${p.IpProtocol}/${p.FromPort}<-${r.CidrIp}`))
        .sort();
    };
    expect(await ingress('web')).toEqual(['tcp/443<-0.0.0.0/0', 'tcp/80<-0.0.0.0/0']);
    expect(await ingress('app')).toEqual([
      `tcp/22<-10.0.0.0/8`,
      `tcp/8080<-${d.networks[clouds.aws].subnet}`,
    ]);
    ec2.destroy();
    // every rule is enforced: on AWS by the security group (its default deny gives the deny-all) and
    // nftables in the guest; vSphere port groups filter nothing, so db's rules are in the guest only
    const enforcement = Object.fromEntries(
      d.tiers.map((t: { tier: string; enforcement: unknown }) => [t.tier, t.enforcement]),
    );
    for (const tier of ['web', 'app']) {
      expect(enforcement[tier].cloud).toBe('aws-ec2');
      for (const rule of enforcement[tier].rules)
        expect(rule.mechanisms).toEqual(['security-group', 'nftables']);
    }
    expect(enforcement.db).toEqual({
      cloud: 'vsphere',
      securityGroup: expect.any(String),
      rules: expect.arrayContaining([
        {
          ruleId: 'deny-all',
          text: 'deny-all: deny in any protocol from anywhere',
          mechanisms: ['nftables'],
          securityGroupGap: expect.stringContaining('vSphere'),
        },
      ]),
    });
    for (const rule of enforcement.db.rules) expect(rule.mechanisms).toEqual(['nftables']);

    // the event log tells the story, and streams
    const events = await admin.get(`/api/v1/deployments/${id}/events`);
    expect(events.body.items.filter((e: { type: string }) => e.type === 'policy.unsupported')).toEqual([]);
    const enforced = events.body.items.filter((e: { type: string }) => e.type === 'policy.enforced');
    expect(enforced.map((e: { data: { tier: string } }) => e.data.tier).sort()).toEqual(['app', 'db', 'web']);
    expect(enforced.find((e: { data: { tier: string } }) => e.data.tier === 'db')).toEqual(
      expect.objectContaining({
        message: expect.stringMatching(
          /^db on .+: \d+ rules, 0 by the security group and nftables in the guest; in the guest only \(nftables\): .*deny-all: deny in any protocol from anywhere/,
        ),
        data: expect.objectContaining({ tier: 'db', environment: clouds.vsphere, cloud: 'vsphere' }),
      }),
    );
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['state', 'step.done', 'instance.created', 'instance.running']),
    );

    // invalid action for the state: 409 with the allowed ones
    const start = await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'start' });
    expect(start.status).toBe(409);
    expect(start.body.message).toMatch(/allowed now: stop, restart, scale, terminate/);

    // scale within bounds, and out of them
    expect(
      (await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'scale', tier: 'app', count: 11 }))
        .status,
    ).toBe(400);
    expect(
      (await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'scale', tier: 'app', count: 3 }))
        .status,
    ).toBe(202);
    const scaled = await settle(id, ['running']);
    expect(scaled.tiers.find((t: { tier: string }) => t.tier === 'app').instances).toHaveLength(3);

    expect((await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' })).status).toBe(202);
    const gone = await settle(id, ['terminated', 'failed']);
    expect(gone.state).toBe('terminated');
    expect(await aws.describeInstances({ 'switchyard:deployment': id })).toEqual([]);
    expect(await vcsim.adapter().describeInstances({ 'switchyard:deployment': id })).toEqual([]);
    const left = await db.query(`SELECT count(*)::int AS n FROM fabric_endpoints WHERE endpoint_id LIKE $1`, [
      `sy-${id.replace(/-/g, '').slice(0, 12)}-%`,
    ]);
    expect(left.rows[0].n).toBe(0);
  }, 300_000);

  it('streams its events live (SSE), resumes after Last-Event-ID, and syd deployment events --follow prints them', async () => {
    const res = await order({
      blueprint: 'three-tier-shop@^1.2',
      name: `sse-${RUN}`,
      parameters: { appCount: 1, dbPassword: 'sse-secret' },
      placement: { default: clouds.aws },
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    const url = `${api.url}/api/v1/deployments/${id}/events`;
    const auth = { authorization: `Bearer ${ADMIN}` };
    const isRunning = (f: SseFrame) =>
      f.data.type === 'state' && (f.data.data as { state?: string })?.state === 'running';

    // the CLI follows from the start, alongside
    const follow = runSyd(['deployment', 'events', id, '--follow', '--output', 'json'], {
      SWITCHYARD_URL: api.url,
      SWITCHYARD_TOKEN: ADMIN,
    });
    // one connection, opened before the deployment runs: "running" reaches it live
    const listedAtConnect = (await admin.get(`/api/v1/deployments/${id}/events`)).body.items as {
      id: string;
    }[];
    const live = await readSse(url, auth, (fs) => fs.some(isRunning), 120_000);
    expect(live.status).toBe(200);
    expect(live.contentType).toMatch(/^text\/event-stream/);
    const running = live.frames.find(isRunning);
    expect(running).toBeDefined();
    expect(listedAtConnect.map((e) => e.id)).not.toContain(running!.id);

    // every frame carries its event's id and type, in order, and the stream is the whole log
    for (const f of live.frames) expect([f.id, f.event]).toEqual([f.data.id, f.data.type]);
    const ids = live.frames.map((f) => BigInt(f.id!));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(ids).size).toBe(ids.length);
    const logged = (await admin.get(`/api/v1/deployments/${id}/events`)).body.items as {
      id: string;
      type: string;
    }[];
    const upToRunning = logged.slice(0, logged.findIndex((e) => e.id === running!.id) + 1);
    expect(live.frames.map((f) => [f.id, f.event])).toEqual(upToRunning.map((e) => [e.id, e.type]));

    // reconnecting with Last-Event-ID: exactly what came after it, nothing again
    const cut = Math.floor(logged.length / 2);
    const resumed = await readSse(url, { ...auth, 'last-event-id': logged[cut - 1]!.id }, () => false, 2_500);
    expect(resumed.status).toBe(200);
    expect(resumed.frames.map((f) => f.id)).toEqual(logged.slice(cut).map((e) => e.id));

    // syd printed the same events, one JSON line each, and stopped by itself at "running"
    const cli = await follow;
    expect(cli.code).toBe(0);
    const printed = cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; type: string });
    expect(printed.map((e) => [e.id, e.type])).toEqual(upToRunning.map((e) => [e.id, e.type]));

    expect((await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' })).status).toBe(202);
    await settle(id, ['terminated']);
  }, 300_000);

  it('honours Idempotency-Key and refuses bad parameters by path', async () => {
    const body = {
      blueprint: 'three-tier-shop',
      name: `idem-${RUN}`,
      parameters: { dbPassword: 'x-secret-1' },
      placement: { default: clouds.aws },
      rollbackOnFailure: true,
    };
    const first = await order(body, { 'idempotency-key': `k-${RUN}` });
    expect(first.status).toBe(202);
    const again = await order(body, { 'idempotency-key': `k-${RUN}` });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await order({ ...body, name: `idem2-${RUN}` }, { 'idempotency-key': `k-${RUN}` });
    expect(other.status).toBe(422);

    // the list filters by environment and by part of the name (taken literally)
    const ids = async (query: string) =>
      ((await admin.get(`/api/v1/deployments?${query}`)).body.items as { id: string }[]).map((d) => d.id);
    expect(await ids(`environment=${clouds.aws}&q=IDEM-${RUN}`)).toEqual([first.body.id]);
    expect(await ids(`environment=${clouds.vsphere}&q=idem-${RUN}`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual([]);
    expect((await admin.get(`/api/v1/deployments?q=${'x'.repeat(65)}`)).status).toBe(400);
    expect(await ids(`mine=true&q=idem-${RUN}`)).toEqual([first.body.id]);
    const notBoolean = await admin.get('/api/v1/deployments?mine=maybe');
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.details.map((d: { path: string }) => d.path)).toEqual(['mine']);

    const bad = await order({
      blueprint: 'three-tier-shop',
      name: `bad-${RUN}`,
      parameters: { appCount: 99, nope: 1 },
      placement: { default: clouds.aws, tiers: { cache: clouds.vsphere } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'parameters.appCount',
      'parameters.dbPassword',
      'parameters.nope',
      'placement.tiers.cache',
    ]);
    const unknownEnv = await order({ ...body, name: `env-${RUN}`, placement: { default: 'no-such-env' } });
    expect(unknownEnv.status).toBe(400);
    // where it was named, and which ones may be used instead
    expect(unknownEnv.body.details).toEqual([
      {
        path: 'placement.default',
        message: expect.stringMatching(
          /^no-such-env is not an environment you may use; you may use [a-z0-9-]+(, [a-z0-9-]+)*( and \d+ more \(GET \/api\/v1\/environments\))?$/,
        ),
      },
    ]);

    await settle(first.body.id, ['running', 'failed']);
    expect(
      (await admin.post(`/api/v1/deployments/${first.body.id}/actions`, { action: 'terminate' })).status,
    ).toBe(202);
    await settle(first.body.id, ['terminated']);
  }, 300_000);

  it('fails a step with the cloud’s own error, rolls back, and leaves nothing behind', async () => {
    // a template the vCenter does not have: the clone fails on the cloud side, after the db and app
    // tiers were made on AWS, so the rollback has something to remove
    const broken = await admin.post('/api/v1/environments', {
      name: `broken-${RUN}`,
      account: clouds.vsphereAccountId,
      images: [{ os: 'ubuntu', version: '22.04', imageId: 'tmpl-does-not-exist' }],
      priceList: priceList([
        ['medium', 2, 4096, '0.02'],
        ['large', 4, 8192, '0.04'],
      ]),
    });
    expect(broken.status).toBe(201);
    const res = await order({
      blueprint: 'three-tier-shop',
      name: `fail-${RUN}`,
      parameters: { dbPassword: 'x-secret-2', appCount: 1 },
      placement: { default: clouds.aws, tiers: { web: `broken-${RUN}` } },
    });
    expect(res.status).toBe(202);
    const d = await eventually(
      async () => {
        const x = (await admin.get(`/api/v1/deployments/${res.body.id}`)).body;
        return x.state === 'failed' && x.step !== 'rollback' ? x : undefined;
      },
      150_000,
      'the deployment to fail and roll back',
    );
    expect(d.failure).toMatchObject({
      step: 'provision',
      tier: 'web',
      environment: `broken-${RUN}`,
      provider: 'vsphere',
    });
    expect(d.failure.message).toMatch(/tmpl-does-not-exist/);
    const events = (await admin.get(`/api/v1/deployments/${res.body.id}/events`)).body.items;
    const types = events.map((e: { type: string }) => e.type);
    expect(types).toContain('step.failed');
    expect(types.filter((t: string) => t === 'instance.terminated').length).toBeGreaterThanOrEqual(2);
    expect(await moto.adapter().describeInstances({ 'switchyard:deployment': res.body.id })).toEqual([]);
    expect(await vcsim.adapter().describeInstances({ 'switchyard:deployment': res.body.id })).toEqual([]);
    const left = await db.query(`SELECT count(*)::int AS n FROM fabric_endpoints WHERE endpoint_id LIKE $1`, [
      `sy-${(res.body.id as string).replace(/-/g, '').slice(0, 12)}-%`,
    ]);
    expect(left.rows[0].n).toBe(0);
  }, 300_000);
});
