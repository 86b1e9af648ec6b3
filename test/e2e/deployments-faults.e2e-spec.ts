import type { CloudAdapter, CloudInstance } from '@switchyard/cloud-adapters';
import type pg from 'pg';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import type { Fault, FaultProxy, SeenRequest } from '../integration/cloud/support/fault-proxy.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { CloudInspector } from '../support/cloud-inspector.js';
import { testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { testEnv } from '../support/test-env.js';

const RUN = `x${Date.now().toString(36)}`;
// the worker's cloud tuning for this file: short timeouts and windows, so that faults cost seconds
const REQUEST_TIMEOUT_MS = 2_500;
const RETRY_WINDOW_MS = 15_000;
const RETRY_MAX_PAUSE_MS = 2_000;

// EC2's error document, as its Query API sends it
const ec2Error = (status: number, code: string, message: string): Fault => ({
  kind: 'status',
  status,
  headers: { 'content-type': 'text/xml' },
  body:
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code>` +
    `<Message>${message}</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>`,
});
const THROTTLED = ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.');
const NO_CAPACITY = ec2Error(
  500,
  'InsufficientInstanceCapacity',
  'We currently do not have sufficient t3.small capacity in the Availability Zone you requested (eu-west-1a).',
);

const params = (r: SeenRequest) => new URLSearchParams(r.body);
const ec2Action = (r: SeenRequest) => params(r).get('Action') ?? '';
const clientToken = (r: SeenRequest) => params(r).get('ClientToken') ?? '';
const soapMethod = (r: SeenRequest) => /<soapenv:Body><(\w+) xmlns="urn:vim25">/.exec(r.body)?.[1] ?? '';
/** RunInstances of a tier (of any deployment: the cases run one at a time). */
const createOf =
  (tier: string, index = '\\d+') =>
  (r: SeenRequest) =>
    ec2Action(r) === 'RunInstances' && new RegExp(`^sy-[0-9a-f]{12}-${tier}-${index}$`).test(clientToken(r));
/** Each distinct request the first time it is seen: a share of the calls, and every retry passes. */
const firstSight = (which: (r: SeenRequest) => boolean) => {
  const seen = new Set<string>();
  return (r: SeenRequest) => which(r) && !seen.has(r.body) && seen.add(r.body).size > 0;
};
/** The same request sent again after `first`. */
const resent = (proxy: FaultProxy, first: SeenRequest) =>
  proxy.requests.find((r) => r !== first && r.at >= first.at && r.body === first.body && !r.fault);

interface Event {
  type: string;
  message: string;
  data: Record<string, any>;
  createdAt: string;
}

describe('deployments under cloud faults (fault proxies in front of moto and vcsim)', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let aws: FaultProxy;
  let vsphere: FaultProxy;
  let direct: { aws: CloudAdapter; vsphere: CloudAdapter };
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;
  let look: CloudInspector;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    // the accounts reach the clouds only through these proxies; the test looks past them
    aws = (await moto.adapterThroughProxy({})).proxy;
    vsphere = (await vcsim.adapterThroughProxy({})).proxy;
    direct = { aws: moto.adapter(), vsphere: vcsim.adapter() };
    const env = await stackEnv({
      WORKER_CONCURRENCY: '4',
      CLOUD_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      CLOUD_RETRY_ATTEMPTS: '3',
      CLOUD_RETRY_BASE_DELAY_MS: '100',
      CLOUD_RETRY_MAX_DELAY_MS: '500',
      TEARDOWN_RETRY_WINDOW_MS: String(RETRY_WINDOW_MS),
      TEARDOWN_RETRY_MAX_DELAY_MS: String(RETRY_MAX_PAUSE_MS),
    });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = await testDb();
    const sdk = new URL(vcsim.endpoint).pathname;
    clouds = await createSimulatedClouds(
      admin,
      { ...moto, endpoint: aws.url },
      { ...vcsim, endpoint: `${vsphere.url}${sdk}` },
      RUN,
    );
    look = await CloudInspector.open(db, { aws: moto, vsphere: vcsim, openstack: null });
  }, 180_000);

  afterEach(async () => {
    for (const proxy of [aws, vsphere]) {
      await proxy.goUp();
      proxy.clear();
    }
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await db?.end();
    look?.close();
    await Promise.all([aws?.close(), vsphere?.close()]);
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  const order = async (name: string, placement: Record<string, unknown>, appCount: number) => {
    const res = await admin.post('/api/v1/orders', {
      blueprint: 'three-tier-shop',
      name: `${name}-${RUN}`,
      parameters: { dbPassword: 'fault-secret', appCount },
      placement,
    });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const show = async (id: string) => (await admin.get(`/api/v1/deployments/${id}`)).body;
  const settled = (id: string, ms = 120_000) =>
    eventually(
      async () => {
        const d = await show(id);
        // a failed removal keeps its step: nothing more happens on its own
        const over = d.step === 'done' || (d.state === 'failed' && d.failure?.step === d.step);
        return over && ['running', 'failed', 'terminated'].includes(d.state) ? d : undefined;
      },
      ms,
      `deployment ${id} to settle`,
    );
  const events = async (id: string): Promise<Event[]> =>
    (await admin.get(`/api/v1/deployments/${id}/events`)).body.items;
  const key = (id: string) => `sy-${id.replace(/-/g, '').slice(0, 12)}`;
  const onClouds = async (id: string): Promise<CloudInstance[]> => [
    ...(await direct.aws.describeInstances({ 'switchyard:deployment': id })),
    ...(await direct.vsphere.describeInstances({ 'switchyard:deployment': id })),
  ];
  const tierIndexes = (instances: CloudInstance[]) =>
    instances.map((i) => `${i.tags['switchyard:tier']}[${i.tags['switchyard:index']}]`).sort();

  /**
   * Nothing on either cloud (instances, interfaces, subnets, groups, VMs, port groups, read past
   * Switchyard), no address held, no fabric object, every row terminated.
   */
  const expectNothingLeft = async (id: string) => {
    expect(await onClouds(id)).toEqual([]);
    expect(await look.leftOnClouds(id)).toEqual([]);
    const endpoints = await db.query(`SELECT endpoint_id FROM fabric_endpoints WHERE endpoint_id LIKE $1`, [
      `${key(id)}-%`,
    ]);
    expect(endpoints.rows).toEqual([]);
    const objects = await db.query(`SELECT kind, name FROM fabric_objects WHERE name LIKE $1`, [
      `d-${id.replace(/-/g, '').slice(0, 12)}-%`,
    ]);
    expect(objects.rows).toEqual([]);
    const rows = await db.query(
      `SELECT tier, index, state FROM deployment_instances WHERE deployment_id = $1 AND state <> 'terminated'`,
      [id],
    );
    expect(rows.rows).toEqual([]);
  };

  it('rides out throttling: each throttled call is retried, the deployment runs, one instance per tier index', async () => {
    aws.inject(
      THROTTLED,
      1_000,
      firstSight((r) => ['RunInstances', 'DescribeInstances'].includes(ec2Action(r))),
    );
    vsphere.inject(
      vcsim.throttleFault,
      1_000,
      firstSight((r) => ['CloneVM_Task', 'PowerOnVM_Task'].includes(soapMethod(r))),
    );
    const id = await order('throttle', { default: clouds.aws, tiers: { db: clouds.vsphere } }, 2);
    const d = await settled(id);
    expect(d.failure).toBeNull();
    expect(d.state).toBe('running');

    // every create was throttled once (503 RequestLimitExceeded on EC2, 429 on vSphere) ...
    const throttledAws = aws.faulted('status');
    expect(
      throttledAws
        .filter((r) => ec2Action(r) === 'RunInstances')
        .map(clientToken)
        .sort(),
    ).toEqual([`${key(id)}-app-0`, `${key(id)}-app-1`, `${key(id)}-web-0`]);
    expect(throttledAws.filter((r) => ec2Action(r) === 'DescribeInstances').length).toBeGreaterThan(0);
    expect(vsphere.faulted('status').map(soapMethod).sort()).toEqual(['CloneVM_Task', 'PowerOnVM_Task']);
    // ... and sent again after a pause, not given up
    for (const proxy of [aws, vsphere]) {
      for (const throttled of proxy.faulted('status')) expect(resent(proxy, throttled)).toBeDefined();
    }

    // exactly one instance per tier index, and they are the ones the deployment records
    const instances = await onClouds(id);
    expect(tierIndexes(instances)).toEqual(['app[0]', 'app[1]', 'db[0]', 'web[0]']);
    const recorded = d.tiers.flatMap((t: { instances: { resourceId: string }[] }) =>
      t.instances.map((i) => i.resourceId),
    );
    expect(recorded.sort()).toEqual(instances.map((i) => i.id).sort());
    for (const i of instances) expect(i.state).toBe('running');
  }, 180_000);

  it('rolls back a capacity error and fails with the cloud’s own code, leaving nothing behind', async () => {
    aws.inject(NO_CAPACITY, 1_000, createOf('app'));
    const id = await order('capacity', { default: clouds.aws, tiers: { db: clouds.vsphere } }, 2);
    const d = await settled(id);
    expect(d.state).toBe('failed');
    expect(d.failure).toMatchObject({
      step: 'provision',
      tier: 'app',
      environment: clouds.aws,
      provider: 'aws-ec2',
      cloudCode: 'InsufficientInstanceCapacity',
    });
    expect(d.failure.message).toMatch(
      /^InsufficientInstanceCapacity: We currently do not have sufficient t3\.small capacity/,
    );
    // capacity is not transient: one refused create per app instance, none repeated; web never started
    expect(aws.faulted('status').map(clientToken).sort()).toEqual([`${key(id)}-app-0`, `${key(id)}-app-1`]);
    expect(aws.requests.filter(createOf('app')).length).toBe(2);
    expect(aws.requests.filter(createOf('web'))).toEqual([]);

    const timeline = await events(id);
    const types = timeline.map((e) => e.type);
    expect(types.indexOf('step.failed')).toBeGreaterThan(types.indexOf('instance.running'));
    // the db (made on vSphere before the failure) and the app's addresses were removed
    expect(
      timeline
        .filter((e) => e.type === 'instance.terminated')
        .map((e) => `${e.data.tier}[${e.data.index}]`)
        .sort(),
    ).toEqual(['app[0]', 'app[1]', 'db[0]']);
    expect(timeline.find((e) => e.type === 'step.failed')!.data).toMatchObject({
      step: 'provision',
      state: 'rolling-back',
    });
    expect(timeline.at(-1)).toMatchObject({ type: 'state', data: { step: 'rollback', state: 'failed' } });
    await expectNothingLeft(id);
  }, 180_000);

  it('times out hung calls and retries them; a create whose answer is lost is adopted, not repeated', async () => {
    // app[0]'s create hangs before reaching moto; app[1]'s reaches it and its answer never comes
    aws.inject({ kind: 'hang' }, 1, createOf('app', '0'));
    aws.inject({ kind: 'swallow-response' }, 1, createOf('app', '1'));
    aws.inject(
      { kind: 'hang' },
      2,
      (r) => ec2Action(r) === 'DescribeInstances' && params(r).has('InstanceId.1'),
    );
    vsphere.inject({ kind: 'hang' }, 1, (r) => soapMethod(r) === 'RetrievePropertiesEx');
    const id = await order('timeouts', { default: clouds.aws, tiers: { db: clouds.vsphere } }, 2);
    const d = await settled(id);
    expect(d.failure).toBeNull();
    expect(d.state).toBe('running');

    // each hung call was abandoned at the request timeout and sent again
    expect(aws.faulted('hang')).toHaveLength(3);
    expect(vsphere.faulted('hang')).toHaveLength(1);
    for (const proxy of [aws, vsphere]) {
      for (const hung of proxy.faulted('hang')) {
        const again = resent(proxy, hung);
        expect(again).toBeDefined();
        expect(again!.at - hung.at).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      }
    }

    // the lost answer: after the timeout the retry looked the key up, found the instance, and
    // never sent the create again
    const [lost] = aws.faulted('swallow-response');
    expect(clientToken(lost!)).toBe(`${key(id)}-app-1`);
    expect(aws.requests.filter((r) => r.body === lost!.body)).toHaveLength(1);
    const lookup = aws.requests.find(
      (r) =>
        r.at > lost!.at &&
        ec2Action(r) === 'DescribeInstances' &&
        [...params(r).values()].includes(`${key(id)}-app-1`),
    );
    expect(lookup!.at - lost!.at).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);

    const instances = await onClouds(id);
    expect(tierIndexes(instances)).toEqual(['app[0]', 'app[1]', 'db[0]', 'web[0]']);
    const app = d.tiers.find((t: { tier: string }) => t.tier === 'app');
    const adopted = instances.find(
      (i) => i.tags['switchyard:tier'] === 'app' && i.tags['switchyard:index'] === '1',
    );
    expect(app.instances.find((i: { index: number }) => i.index === 1).resourceId).toBe(adopted!.id);
  }, 180_000);

  it('keeps rolling back while a cloud that died mid-deployment is away, and finishes when it returns', async () => {
    // db and web on AWS, app on vSphere; AWS dies as web's create reaches it (the create happens,
    // its answer is lost)
    aws.goDownOn(createOf('web'));
    const id = await order('dies', { default: clouds.aws, tiers: { app: clouds.vsphere } }, 1);
    const retries = (n: number) =>
      eventually(
        async () => {
          const tries = (await events(id)).filter((e) => e.type === 'step.retrying');
          return tries.length >= n ? tries : undefined;
        },
        60_000,
        `${n} tries of the rollback`,
      );
    const [first, second] = await retries(2);
    const during = await show(id);
    expect(during.state).toBe('rolling-back');
    expect(during.failure).toMatchObject({
      step: 'provision',
      tier: 'web',
      environment: clouds.aws,
      provider: 'aws-ec2',
    });
    expect(during.failure.message).toMatch(/ECONNREFUSED/);
    expect(first!.data).toMatchObject({ step: 'rollback', try: 1, windowMs: RETRY_WINDOW_MS });
    expect(first!.message).toMatch(
      new RegExp(`^rollback waits for the cloud on ${clouds.aws}: .*ECONNREFUSED`),
    );
    // growing pauses: the first is drawn from [0.5 s, 1 s], the second from [1 s, 2 s] (doubled
    // ceiling, half jitter); a constant backoff would draw the second below 1 s
    expect(second!.data.try).toBe(2);
    expect(first!.data.delayMs).toBeLessThanOrEqual(1_000);
    expect(second!.data.delayMs).toBeGreaterThanOrEqual(1_000);
    // nothing was removed meanwhile: web (whose create went through) must go before app, app before db
    expect(tierIndexes(await onClouds(id))).toEqual(['app[0]', 'db[0]', 'web[0]']);

    // the cloud turns into a black hole: held calls time out the same way
    await aws.goDown('hang');
    const heldSince = Date.now();
    await eventually(
      async () => aws.faulted('down').some((r) => r.at >= heldSince),
      30_000,
      'a call held by the dead cloud',
    );
    await aws.goUp();

    const d = await settled(id);
    expect(d.state).toBe('failed');
    // the reason stays the step that failed; the rollback left nothing to report
    expect(d.failure).toMatchObject({ step: 'provision', tier: 'web', environment: clouds.aws });
    expect(d.failure.left).toBeUndefined();
    const timeline = await events(id);
    const removed = timeline.filter((e) => e.type === 'instance.terminated');
    expect(removed.map((e) => e.data.tier)).toEqual(['web', 'app', 'db']);
    // web's id was never recorded (its answer died with the cloud): its tags found it
    expect(removed[0]!.data.cloudId).toMatch(/^i-/);
    expect(timeline.filter((e) => e.type === 'step.retrying').length).toBeGreaterThanOrEqual(2);
    await expectNothingLeft(id);
  }, 180_000);

  it('fails naming what it left when the cloud stays away past the window; terminate removes it later', async () => {
    aws.goDownOn(createOf('app'));
    const id = await order('gone', { default: clouds.aws }, 1);
    const d = await settled(id, 120_000);
    expect(d.state).toBe('failed');
    expect(d.failure).toMatchObject({
      step: 'rollback',
      tier: 'app',
      environment: clouds.aws,
      provider: 'aws-ec2',
      cause: { step: 'provision', tier: 'app', environment: clouds.aws, provider: 'aws-ec2' },
    });
    const [db0] = (await direct.aws.describeInstances({ 'switchyard:deployment': id })).filter(
      (i) => i.tags['switchyard:tier'] === 'db',
    );
    expect(d.failure.left).toEqual([
      { tier: 'app', index: 0, environment: clouds.aws, provider: 'aws-ec2', cloudId: null },
      { tier: 'db', index: 0, environment: clouds.aws, provider: 'aws-ec2', cloudId: db0!.id },
    ]);
    expect(d.failure.message).toMatch(
      new RegExp(
        `still failing after ${RETRY_WINDOW_MS / 1000} s of retries\\); left behind: app\\[0\\] \\(id unknown.*\\) ` +
          `on ${clouds.aws} \\(aws-ec2\\), db\\[0\\] ${db0!.id} on ${clouds.aws} \\(aws-ec2\\)`,
      ),
    );
    // it kept trying for the whole window, pauses capped
    const timeline = await events(id);
    const tries = timeline.filter((e) => e.type === 'step.retrying');
    expect(tries.length).toBeGreaterThanOrEqual(4);
    for (const t of tries) expect(t.data.delayMs).toBeLessThanOrEqual(RETRY_MAX_PAUSE_MS);
    const gaveUp = timeline.filter((e) => e.type === 'step.failed').at(-1)!;
    expect(Date.parse(gaveUp.createdAt) - Date.parse(tries[0]!.createdAt)).toBeGreaterThanOrEqual(
      RETRY_WINDOW_MS,
    );
    expect(tierIndexes(await onClouds(id))).toEqual(['app[0]', 'db[0]']);

    // the cloud is back: an operator's terminate removes what was left
    await aws.goUp();
    expect((await admin.post(`/api/v1/deployments/${id}/actions`, { action: 'terminate' })).status).toBe(202);
    const gone = await settled(id);
    expect(gone.state).toBe('terminated');
    await expectNothingLeft(id);
  }, 180_000);
});
