import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { tenantWithTokens, YAML } from '../support/blueprint-fixtures.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { runSyd } from '../support/syd.js';
import { priceList } from '../support/simulated-clouds.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';
import pgModule from 'pg';

// Budgets alert at their thresholds (once a month each), the spend report adds up what ran in a
// period, and leases warn before they end, extend within the tenant's maximum, by the orderer or
// an operator. On moto, with a reconcile round every second in a database of this file's own.

const RUN = `b${Date.now().toString(36)}`;
const TENANT = `budget-${RUN}`;
const ENV = `e2e-budget-${RUN}`;
// a price that makes seconds cost cents: 360 an hour is 0.10 a second, 262,800 a month
const HOURLY = '360';
const MONTHLY = 262_800;

const blueprint = (name: string, tier: string) => `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata:
  name: ${name}
  version: 1.0.0
  title: Budget test ${tier}
parameters:
  count: { type: integer, default: 1, minimum: 1, maximum: 4 }
tiers:
  ${tier}:
    size: { cpu: 2, memoryMiB: 2048 }
    image: { os: ubuntu, version: '22.04' }
    count: '\${params.count}'
    scale: { min: 1, max: 4 }
`;

describe('budgets, the spend report and leases', () => {
  let moto: CloudPeer;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let operator: Client;
  let member: Client;
  let other: Client;
  let db: pg.Client;

  beforeAll(async () => {
    moto = await startMoto();
    database = await migratedDatabase(testEnv().DATABASE_URL, 'budget');
    const env = await stackEnv({ DATABASE_URL: database.url, RECONCILE_INTERVAL_MS: '1000' });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    db = new pgModule.Client({ connectionString: database.url });
    await db.connect();
    ({ operator, member } = await tenantWithTokens(admin, TENANT));
    const second = await admin.post('/api/v1/users', { name: 'dev2', role: 'member', tenant: TENANT });
    other = admin.as(
      (await admin.post('/api/v1/tokens', { name: 'dev2-t', userId: second.body.id })).body.token,
    );
    const account = await admin.post('/api/v1/cloud-accounts', {
      name: `aws-${RUN}`,
      provider: 'aws-ec2',
      simulated: true,
      settings: { region: 'eu-west-1', endpoint: moto.endpoint, imageOwners: ['amazon'] },
      credentials: { accessKeyId: 'AKIDSWITCHYARDTEST', secretAccessKey: 'switchyard-test-secret' },
    });
    expect(account.status).toBe(201);
    const made = await admin.post('/api/v1/environments', {
      name: ENV,
      account: account.body.id,
      region: 'eu-west-1',
      shared: true,
      placement: { addressPool: '172.31.128.0/17' },
      images: [{ os: 'ubuntu', version: '22.04', imageId: moto.fixtures.image }],
      priceList: priceList([['t3.small', 2, 2048, HOURLY]]),
    });
    expect(made.status).toBe(201);
    for (const [name, tier] of [
      [`web-${RUN}`, 'web'],
      [`api-${RUN}`, 'api'],
    ] as const) {
      expect((await operator.post('/api/v1/blueprints', blueprint(name, tier), YAML)).status).toBe(201);
      expect((await operator.post(`/api/v1/blueprints/${name}/versions/1.0.0/publish`)).status).toBe(200);
    }
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await db?.end();
    await database?.drop();
    await moto?.stop();
  });

  const order = (who: Client, name: string, bp: string, extra: Record<string, unknown> = {}) =>
    who.post('/api/v1/orders', {
      blueprint: bp,
      name,
      parameters: { count: 1 },
      placement: { default: ENV },
      ...extra,
    });
  const running = (who: Client, id: string) =>
    eventually(
      async () => {
        const d = (await who.get(`/api/v1/deployments/${id}`)).body;
        return d.state === 'running' && d.step === 'done' ? d : undefined;
      },
      120_000,
      `deployment ${id} to run`,
    );
  const events = async (id: string, type: string) =>
    (
      (await operator.get(`/api/v1/deployments/${id}/events`)).body.items as { type: string; data: any }[]
    ).filter((e) => e.type === type);

  it('alerts at 80% and at 100% of the budget, once each, as the month’s forecast grows', async () => {
    // the tenant's receiver of budget alerts, on loopback (which an admin must allow)
    const alerts: { type: string; tenantId: string; data: Record<string, unknown> }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        alerts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      expect(
        (await admin.request('PUT', '/api/v1/webhook-settings', { allowedTargets: ['127.0.0.1/32'] })).status,
      ).toBe(200);
      const hook = await operator.post('/api/v1/webhooks', {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/budget`,
        eventTypes: ['budget.threshold'],
      });
      expect(hook.status).toBe(201);
      // 1.2 instances' month: one instance is 83.3%, two are 166.7%
      const amount = String(MONTHLY * 1.2);
      expect((await member.request('PUT', '/api/v1/budget', { amount, currency: 'USD' })).status).toBe(403);
      const set = await operator.request('PUT', '/api/v1/budget', { amount, currency: 'USD' });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        tenant: TENANT,
        budget: { amount: '315360.00', currency: 'USD' },
        thresholds: [80, 100],
        forecast: { amount: '0.00', currency: 'USD' },
        percent: 0,
        alerts: [],
      });
      const first = await order(member, `b1-${RUN}`, `web-${RUN}`);
      expect(first.status).toBe(202);
      await running(member, first.body.id);
      const at80 = await eventually(
        async () => {
          const b = (await member.get('/api/v1/budget')).body;
          return b.alerts.length > 0 ? b : undefined;
        },
        30_000,
        'the 80% alert',
      );
      expect(at80).toMatchObject({ forecast: { amount: '262800.00' }, percent: 83.3 });
      expect(at80.alerts).toEqual([
        {
          threshold: 80,
          basis: 'forecast',
          spent: { amount: '262800.00', currency: 'USD' },
          budget: { amount: '315360.00', currency: 'USD' },
          createdAt: expect.any(String),
        },
      ]);
      const second = await order(member, `b2-${RUN}`, `api-${RUN}`);
      expect(second.status).toBe(202);
      await running(member, second.body.id);
      const at100 = await eventually(
        async () => {
          const b = (await member.get('/api/v1/budget')).body;
          return b.alerts.length > 1 ? b : undefined;
        },
        30_000,
        'the 100% alert',
      );
      // rounds ran in between: the 80% alert was not raised again
      expect(at100.alerts.map((a: { threshold: number }) => a.threshold)).toEqual([80, 100]);
      expect(at100.percent).toBe(166.6);
      const audit = await db.query(
        `SELECT action, actor_name AS actor FROM audit_log WHERE resource_type = 'budget'`,
      );
      expect(audit.rows).toEqual([{ action: 'budget.set', actor: 'ops' }]);
      // the same two alerts reached the tenant's webhook, once each
      await eventually(async () => (alerts.length >= 2 ? alerts : undefined), 30_000, 'two budget webhooks');
      expect(
        alerts
          .map((a) => ({ type: a.type, data: a.data }))
          .sort((x, y) => Number(x.data.threshold) - Number(y.data.threshold)),
      ).toEqual(
        [80, 100].map((threshold) => ({
          type: 'budget.threshold',
          data: {
            month: new Date().toISOString().slice(0, 7),
            threshold,
            basis: 'forecast',
            spent: { amount: threshold === 80 ? '262800.00' : '525600.00', currency: 'USD' },
            budget: { amount: '315360.00', currency: 'USD' },
          },
        })),
      );
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 300_000);

  it('reports what ran in a period, per environment and per blueprint, as the instances’ own lives add up', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    await new Promise((r) => setTimeout(r, 2_000));
    const to = new Date().toISOString();
    const byEnv = await operator.get(`/api/v1/spend/report?from=${from}&to=${to}&groupBy=environment`);
    const byBlueprint = await operator.get(`/api/v1/spend/report?from=${from}&to=${to}&groupBy=blueprint`);
    expect(byEnv.status).toBe(200);
    // the oracle: each instance at 0.10 a second from its creation to its end, within the period
    const lives = await db.query<{ blueprint: string; ms: string }>(
      `SELECT d.blueprint_name AS blueprint,
              sum(extract(epoch FROM (LEAST(CASE WHEN i.state IN ('terminated', 'missing') THEN i.updated_at ELSE $2::timestamptz END, $2::timestamptz)
                                      - GREATEST(i.created_at, $1::timestamptz))) * 1000)::text AS ms
         FROM deployment_instances i JOIN deployments d ON d.id = i.deployment_id
        JOIN tenants t ON t.id = d.tenant_id WHERE t.name = $3 GROUP BY 1 ORDER BY 1`,
      [from, to, TENANT],
    );
    const cents = (ms: string) => Math.round((Number(ms) / 1000) * 10);
    const expected = lives.rows.map((r) => ({ key: r.blueprint, cents: cents(r.ms) }));
    expect(expected).toHaveLength(2);
    const got = byBlueprint.body.items.map((i: { key: string; spent: { amount: string } }) => ({
      key: i.key,
      cents: Math.round(Number(i.spent.amount) * 100),
    }));
    expect(got).toEqual(expected);
    expect(got.every((g: { cents: number }) => g.cents > 0)).toBe(true);
    // one environment: its line is the whole, and both groupings add up to the same total
    expect(byEnv.body.items).toHaveLength(1);
    expect(byEnv.body.items[0]).toMatchObject({ key: ENV, deployments: 2 });
    expect(byEnv.body.total).toEqual(byBlueprint.body.total);
    // another tenant's report is a 404 for the operator, the admin may ask
    expect((await operator.get(`/api/v1/spend/report?from=${from}&to=${to}&tenant=default`)).status).toBe(
      404,
    );
    expect(
      (await admin.get(`/api/v1/spend/report?from=${from}&to=${to}&tenant=${TENANT}`)).body.total,
    ).toEqual(byEnv.body.total);
    const bad = await operator.get(`/api/v1/spend/report?from=yesterday&to=${from}&groupBy=tier`);
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['from', 'groupBy']);
  }, 120_000);

  it('warns before a lease ends, once per end, and extends it within the tenant’s maximum by the orderer or an operator', async () => {
    expect(
      (await operator.request('PUT', '/api/v1/lease-policy', { maxLeaseHours: 100, warnBeforeMinutes: 5 }))
        .status,
    ).toBe(403);
    const policy = await admin.request('PUT', '/api/v1/lease-policy', {
      tenant: TENANT,
      maxLeaseHours: 48,
      warnBeforeMinutes: 120,
    });
    expect(policy.body).toEqual({ tenant: TENANT, maxLeaseHours: 48, warnBeforeMinutes: 120 });
    const tooLong = await order(member, `l0-${RUN}`, `web-${RUN}`, { leaseHours: 72 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.details).toEqual([
      { path: 'leaseHours', message: "must be at most 48 (the tenant's maximum lease)" },
    ]);
    const res = await order(member, `l1-${RUN}`, `web-${RUN}`, { leaseHours: 1 });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    // an hour's lease with a two-hour lead: warned at the next round
    const [warning] = await eventually(
      async () => {
        const found = await events(id, 'lease.expiring');
        return found.length ? found : undefined;
      },
      30_000,
      'the lease warning',
    );
    const ordered = (await member.get(`/api/v1/deployments/${id}`)).body;
    expect(warning!.data).toMatchObject({ leaseHours: 1, leaseExpiresAt: ordered.leaseExpiresAt });

    // who may extend: not another member; the orderer and an operator may, within the maximum
    const extend = (who: Client, hours: number) => who.post(`/api/v1/deployments/${id}/lease`, { hours });
    expect((await extend(other, 1)).status).toBe(403);
    const byOrderer = await extend(member, 1);
    expect(byOrderer.status).toBe(200);
    expect(byOrderer.body).toMatchObject({ id, leaseHours: 2, maxLeaseHours: 48 });
    // the new end (2 h) is inside the two-hour lead too: warned again, once, for it
    const warnings = await eventually(
      async () => {
        const found = await events(id, 'lease.expiring');
        return found.length >= 2 ? found : undefined;
      },
      30_000,
      'the warning for the extended end',
    );
    const ends = warnings.map((w) => w.data.leaseHours);
    expect(ends).toEqual([1, 2]);
    const over = await extend(operator, 47);
    expect(over.status).toBe(409);
    expect(over.body.details).toEqual([{ path: 'hours', message: 'at most 46 more hours' }]);
    expect((await extend(operator, 46)).body.leaseHours).toBe(48);
    expect((await extend(operator, 1)).status).toBe(409);
    expect((await extend(member, 0)).status).toBe(400);

    const d = (await member.get(`/api/v1/deployments/${id}`)).body;
    expect(d.leaseHours).toBe(48);
    const extended = await events(id, 'lease.extended');
    expect(extended.map((e) => e.data.leaseHours)).toEqual([2, 48]);
    const audit = await db.query(
      `SELECT actor_name AS actor, before, after FROM audit_log WHERE action = 'deployment.lease.extend' ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      { actor: 'dev', before: { leaseHours: 1 }, after: { leaseHours: 2 } },
      { actor: 'ops', before: { leaseHours: 2 }, after: { leaseHours: 48 } },
    ]);
  }, 300_000);

  it('shows and sets the same through syd: quota, budget, spend, deployment extend', async () => {
    const as = { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: testEnv().SWITCHYARD_ADMIN_TOKEN };
    const set = await runSyd(['quota', 'set', '--tenant', TENANT, '--instances', '10', '--vcpus', '40'], as);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    // what the tenant holds now: the two budget deployments and the leased one
    const held = (await admin.get(`/api/v1/quotas/usage?tenant=${TENANT}`)).body.reserved.instances;
    expect(held).toBe(3);
    expect(set.stdout.split('\n').slice(0, 4)).toEqual([
      `quotas of tenant ${TENANT} (used/limit)`,
      'SCOPE     INSTANCES  VCPUS  MEMORY MIB  MONTHLY COST',
      '--------  ---------  -----  ----------  ------------',
      '(tenant)  3/10       6/40   6144',
    ]);
    const usage = await runSyd(['quota', 'ls', '--usage', '--tenant', TENANT, '--output', 'json'], as);
    expect(JSON.parse(usage.stdout)).toMatchObject({
      mismatched: 0,
      reserved: { instances: 3 },
      running: { instances: 3 },
    });
    const budget = await runSyd(['budget', 'show', '--tenant', TENANT], as);
    expect(budget.stdout).toContain(`budget of ${TENANT} for `);
    expect(budget.stdout).toContain('forecast (monthly run rate held now): 788400.00 USD (250%)');
    const spend = await runSyd(['spend', '--tenant', TENANT, '--by', 'blueprint', '--output', 'json'], as);
    expect(JSON.parse(spend.stdout).items.map((i: { key: string }) => i.key)).toEqual([
      `api-${RUN}`,
      `web-${RUN}`,
    ]);
    const leased = (await member.get('/api/v1/deployments?q=l1-')).body.items[0].id as string;
    const over = await runSyd(['deployment', 'extend', leased, '--hours', '1'], as);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toContain("the tenant's maximum is 48 h");
  }, 120_000);
});
