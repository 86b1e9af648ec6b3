import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import { tenantWithTokens, YAML } from '../support/blueprint-fixtures.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { priceList } from '../support/simulated-clouds.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

// An order that leaves placement out: the tenant's placement policy ("db stays on premises",
// the cheapest allowed environment) chooses per tier among every environment the tenant may
// use, and the deployment records each environment and why it was taken or refused (policy,
// quota, price). A database of its own, so that only these environments are candidates.

const RUN = `p${Date.now().toString(36)}`;
const TENANT = `place-${RUN}`;
const BP = `shop-${RUN}`;
const ENV = {
  cloud: `cloud-${RUN}`, // moto, tagged cloud: cheapest for both tiers
  onPrem: `onprem-${RUN}`, // vcsim, tagged on-prem
  full: `full-${RUN}`, // moto, tagged on-prem, cheaper still, but its quota is used up
  tiny: `tiny-${RUN}`, // moto, only a 1-vCPU type: no price for a 2-vCPU tier
};

const blueprint = `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata:
  name: ${BP}
  version: 1.0.0
  title: Placed by policy
tiers:
  db:
    size: { cpu: 2, memoryMiB: 4096 }
    image: { os: ubuntu, version: '22.04' }
    ports: [5432/tcp]
  web:
    size: { cpu: 2, memoryMiB: 2048 }
    image: { os: ubuntu, version: '22.04' }
    dependsOn: [db]
    ports: [80/tcp]
connections:
  - { from: internet, to: web, ports: [80/tcp] }
  - { from: web, to: db, ports: [5432/tcp] }
`;

describe('explainable placement: a policy-driven order with no placement given', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let operator: Client;
  let member: Client;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    database = await migratedDatabase(testEnv().DATABASE_URL, 'placement');
    const env = await stackEnv({ DATABASE_URL: database.url, WORKER_CONCURRENCY: '4' });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    ({ operator, member } = await tenantWithTokens(admin, TENANT));
    const aws = await admin.post('/api/v1/cloud-accounts', {
      name: `aws-${RUN}`,
      provider: 'aws-ec2',
      simulated: true,
      settings: { region: 'eu-west-1', endpoint: moto.endpoint, imageOwners: ['amazon'] },
      credentials: { accessKeyId: 'AKIDSWITCHYARDTEST', secretAccessKey: 'switchyard-test-secret' },
    });
    const vs = await admin.post('/api/v1/cloud-accounts', {
      name: `vs-${RUN}`,
      provider: 'vsphere',
      simulated: true,
      settings: { url: vcsim.endpoint, caCert: vcsim.caCert },
      credentials: { username: 'switchyard', password: 'vcsim-secret' },
    });
    expect([aws.status, vs.status]).toEqual([201, 201]);
    const onAws = (name: string, tags: string[], types: Parameters<typeof priceList>[0], pool: string) =>
      admin.post('/api/v1/environments', {
        name,
        account: aws.body.id,
        region: 'eu-west-1',
        shared: true,
        tags,
        placement: { addressPool: pool },
        images: [{ os: 'ubuntu', version: '22.04', imageId: moto.fixtures.image }],
        priceList: priceList(types),
      });
    const made = [
      await onAws(
        ENV.cloud,
        ['cloud'],
        [
          ['t3.small', 2, 2048, '0.01'],
          ['t3.medium', 2, 4096, '0.015'],
        ],
        '172.31.128.0/18',
      ),
      await admin.post('/api/v1/environments', {
        name: ENV.onPrem,
        account: vs.body.id,
        shared: true,
        tags: ['on-prem'],
        images: [{ os: 'ubuntu', version: '22.04', imageId: vcsim.fixtures.image }],
        priceList: priceList([
          ['small', 1, 2048, '0.01'],
          ['medium', 2, 4096, '0.02'],
        ]),
      }),
      await onAws(ENV.full, ['on-prem'], [['t3.medium', 2, 4096, '0.001']], '172.31.192.0/19'),
      await onAws(ENV.tiny, ['on-prem', 'cloud'], [['t3.nano', 1, 512, '0.0052']], '172.31.224.0/19'),
    ];
    expect(made.map((m) => m.status)).toEqual([201, 201, 201, 201]);
    expect((await operator.post('/api/v1/blueprints', blueprint, YAML)).status).toBe(201);
    expect((await operator.post(`/api/v1/blueprints/${BP}/versions/1.0.0/publish`)).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await database?.drop();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  it('chooses per tier under the policy and records every environment considered and why', async () => {
    // members read the policy, operators set it (audited)
    const rules = [
      { kind: 'require-tag', tag: 'on-prem', tiers: ['db'], description: 'data stays on premises' },
    ];
    expect((await member.request('PUT', '/api/v1/placement-policies', { rules })).status).toBe(403);
    const policy = await operator.request('PUT', '/api/v1/placement-policies', { rules });
    expect(policy.status).toBe(200);
    expect(policy.body).toEqual({ tenant: TENANT, rules, strategy: 'cheapest' });
    expect((await member.get('/api/v1/placement-policies')).body).toEqual(policy.body);
    // the cheapest on-prem environment has no room left
    expect(
      (await admin.request('PUT', '/api/v1/quotas', { tenant: TENANT, environment: ENV.full, instances: 0 }))
        .status,
    ).toBe(200);

    // a placement of its own that breaks a rule is refused, naming the rule
    const broken = await member.post('/api/v1/orders', {
      blueprint: BP,
      name: `own-${RUN}`,
      placement: { default: ENV.cloud },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.details).toEqual([
      {
        path: 'placement.default',
        message: `${ENV.cloud} is refused by the placement policy: rule 1 (data stays on premises): db goes only to environments tagged on-prem`,
      },
    ]);

    const res = await member.post('/api/v1/orders', { blueprint: BP, name: `auto-${RUN}` });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    const why = await member.get(`/api/v1/deployments/${id}/placement`);
    expect(why.status).toBe(200);
    const byTier = Object.fromEntries(
      why.body.tiers.map((t: { tier: string; chosen: string; candidates: any[] }) => [
        t.tier,
        {
          chosen: t.chosen,
          candidates: Object.fromEntries(
            t.candidates.map((c) => [
              c.environment,
              { verdict: c.verdict, kinds: c.reasons.map((r: any) => r.kind) },
            ]),
          ),
        },
      ]),
    );
    expect(byTier).toEqual({
      db: {
        chosen: ENV.onPrem,
        candidates: {
          [ENV.cloud]: { verdict: 'refused', kinds: ['policy'] },
          [ENV.onPrem]: { verdict: 'chosen', kinds: ['price'] },
          [ENV.full]: { verdict: 'refused', kinds: ['quota'] },
          [ENV.tiny]: { verdict: 'refused', kinds: ['price'] },
        },
      },
      web: {
        chosen: ENV.cloud,
        candidates: {
          [ENV.cloud]: { verdict: 'chosen', kinds: ['price'] },
          [ENV.onPrem]: { verdict: 'allowed', kinds: [] },
          [ENV.full]: { verdict: 'refused', kinds: ['quota'] },
          [ENV.tiny]: { verdict: 'refused', kinds: ['price'] },
        },
      },
    });
    const db = why.body.tiers.find((t: { tier: string }) => t.tier === 'db');
    const reason = (env: string) => db.candidates.find((c: any) => c.environment === env).reasons[0].message;
    expect(reason(ENV.cloud)).toBe(
      'rule 1 (data stays on premises): db goes only to environments tagged on-prem',
    );
    expect(reason(ENV.onPrem)).toBe('cheapest allowed: 14.60 USD a month');
    expect(reason(ENV.full)).toBe(`instances over the quota on ${ENV.full}: 0 used of 0, the tier needs 1`);
    expect(db.candidates.find((c: any) => c.environment === ENV.cloud).monthlyCost).toEqual({
      amount: '10.95',
      currency: 'USD',
    });

    // and it runs there: db on vSphere, web on AWS
    const d = await eventually(
      async () => {
        const got = (await member.get(`/api/v1/deployments/${id}`)).body;
        return got.state === 'running' || got.state === 'failed' ? got : undefined;
      },
      240_000,
      'the placed deployment to run',
    );
    expect(d.state).toBe('running');
    expect(
      Object.fromEntries(d.tiers.map((t: { tier: string; environment: string }) => [t.tier, t.environment])),
    ).toEqual({ db: ENV.onPrem, web: ENV.cloud });
    // an order with its own placement has no decision to show
    const own = await member.post('/api/v1/orders', {
      blueprint: BP,
      name: `own2-${RUN}`,
      placement: { default: ENV.cloud, tiers: { db: ENV.onPrem } },
    });
    expect(own.status).toBe(202);
    expect((await member.get(`/api/v1/deployments/${own.body.id}/placement`)).status).toBe(404);
  }, 400_000);
});
