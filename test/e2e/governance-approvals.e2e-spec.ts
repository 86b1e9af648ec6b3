import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { createSimulatedClouds, type SimulatedClouds } from '../support/simulated-clouds.js';
import { runSyd } from '../support/syd.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/**
 * A webhook receiver on loopback, as a tenant would run one: it records every request and answers
 * 500 to the first attempt of each delivery, 200 to the next, so every delivery needs a retry.
 */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const delivery = String(req.headers['switchyard-delivery']);
      const answered = seen.has(delivery) ? 200 : 500;
      seen.add(delivery);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered).end(answered === 200 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/switchyard`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the README tells receivers to do: HMAC-SHA256 of `<timestamp>.<raw body>` under the secret. */
function signatureValid(secret: string, r: Received): boolean {
  const ts = String(r.headers['switchyard-timestamp']);
  const expected = `v1=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
  return r.headers['switchyard-signature'] === expected && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

// The reconciler (which expires approvals) and the webhook settings see every row: a database of
// this file's own, as the reconcile test does.
describe('governance: approvals, signed webhooks, entitlements (moto, vcsim)', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let database: { url: string; drop: () => Promise<void> };
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let db: pg.Client;
  let clouds: SimulatedClouds;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let webhook: { id: string; secret: string };
  let approvedId: string;
  const users: Record<'olga' | 'oscar' | 'mona', { id: string; client: Client }> = {} as never;

  beforeAll(async () => {
    [moto, vcsim, database, receiver] = await Promise.all([
      startMoto(),
      startVcsim(),
      migratedDatabase(testEnv().DATABASE_URL, 'governance'),
      startReceiver(),
    ]);
    const env = await stackEnv({
      DATABASE_URL: database.url,
      RECONCILE_INTERVAL_MS: '1000',
      WEBHOOK_RETRY_BASE_DELAY_MS: '300',
      WEBHOOK_RETRY_ATTEMPTS: '4',
    });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    clouds = await createSimulatedClouds(admin, moto, vcsim, RUN);
    // olga orders (an operator, yet she may not approve her own), oscar decides, mona is a member
    for (const [name, role] of [
      ['olga', 'operator'],
      ['oscar', 'operator'],
      ['mona', 'member'],
    ] as const) {
      const user = await admin.post('/api/v1/users', { name: `${name}-${RUN}`, role });
      expect(user.status).toBe(201);
      const token = await admin.post('/api/v1/tokens', { name, userId: user.body.id });
      expect(token.status).toBe(201);
      users[name] = { id: user.body.id, client: admin.as(token.body.token) };
    }
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await db?.end();
    await receiver?.close();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
    await database?.drop();
  });

  const deployment = async (id: string) => (await admin.get(`/api/v1/deployments/${id}`)).body;
  const eventsOf = async (id: string) =>
    (await admin.get(`/api/v1/deployments/${id}/events`)).body.items as {
      type: string;
      message: string;
      data: Record<string, unknown>;
    }[];
  const order = async (client: Client, name: string) => {
    const res = await client.post('/api/v1/orders', {
      blueprint: 'three-tier-shop',
      name,
      parameters: { dbPassword: 'x-secret-gov', appCount: 1 },
      placement: { default: clouds.aws },
    });
    expect(res.status).toBe(202);
    return res.body as { id: string; state: string };
  };
  const approvalOf = async (deploymentId: string) => {
    const res = await users.oscar.client.get(`/api/v1/approvals?deploymentId=${deploymentId}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    return res.body.items[0];
  };

  it('subscribes a webhook only to an http(s) URL, and to loopback only once an admin allows it', async () => {
    const operator = users.oscar.client;
    const ftp = await operator.post('/api/v1/webhooks', { url: 'ftp://example.com/x', eventTypes: ['*'] });
    expect(ftp.status).toBe(400);
    expect(ftp.body.details).toEqual([{ path: 'url', message: 'must be an http or https URL' }]);
    const internal = await operator.post('/api/v1/webhooks', {
      url: receiver.url,
      eventTypes: ['approval.requested'],
    });
    expect(internal.status).toBe(400);
    expect(internal.body.details[0]).toMatchObject({
      path: 'url',
      message: expect.stringMatching(/internal address \(127\.0\.0\.1\)/),
    });
    const metadata = await operator.post('/api/v1/webhooks', {
      url: 'http://169.254.169.254/latest',
      eventTypes: ['*'],
    });
    expect(metadata.status).toBe(400);

    // only an admin widens the list; an operator cannot
    expect(
      (await operator.request('PUT', '/api/v1/webhook-settings', { allowedTargets: ['127.0.0.1/32'] }))
        .status,
    ).toBe(403);
    const bad = await admin.request('PUT', '/api/v1/webhook-settings', {
      allowedTargets: ['127.0.0.1/32', 'not a host'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ path: 'allowedTargets.1' })]);
    const allowed = await admin.request('PUT', '/api/v1/webhook-settings', {
      allowedTargets: ['127.0.0.1/32'],
    });
    expect(allowed.body).toEqual({ allowedTargets: ['127.0.0.1/32'] });

    const created = await operator.post('/api/v1/webhooks', {
      url: receiver.url,
      // the approvals, and one of the deployments' own event types: every deployment event goes out by type
      eventTypes: [
        'approval.requested',
        'approval.approved',
        'approval.rejected',
        'approval.expired',
        'lease.expired',
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    webhook = { id: created.body.id, secret: created.body.secret };
    // shown once: the list masks it, and the database holds it sealed
    const listed = (await operator.get('/api/v1/webhooks')).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ id: webhook.id, secret: `********${webhook.secret.slice(-4)}` }),
    ]);
    const stored = (
      await db.query('SELECT secret_data FROM webhook_subscriptions WHERE id = $1', [webhook.id])
    ).rows[0];
    expect(stored.secret_data).not.toContain(webhook.secret.slice(6));
  });

  it('holds an order a rule matches; the orderer cannot approve, another operator can, and it runs', async () => {
    const rule = await users.oscar.client.post('/api/v1/approval-rules', {
      name: 'shop-needs-approval',
      blueprints: ['three-tier-*'],
      monthlyCostAbove: { amount: '1.00', currency: 'USD' },
      expiresAfterMinutes: 120,
    });
    expect(rule.status).toBe(201);
    // a change is audited with before and after; a member may not make one
    const patch = { expiresAfterMinutes: 90 };
    expect((await users.mona.client.patch(`/api/v1/approval-rules/${rule.body.id}`, patch)).status).toBe(403);
    const changed = await users.oscar.client.patch(`/api/v1/approval-rules/${rule.body.id}`, patch);
    expect(changed.body).toMatchObject({ expiresAfterMinutes: 90, blueprints: ['three-tier-*'] });
    const ruleAudit = (await admin.get(`/api/v1/audit-log?resourceId=${rule.body.id}`)).body.items;
    expect(ruleAudit[0]).toMatchObject({
      action: 'approval-rule.update',
      before: expect.objectContaining({ expiresAfterMinutes: 120 }),
      after: expect.objectContaining({ expiresAfterMinutes: 90 }),
    });

    const ordered = await order(users.olga.client, `gov-approve-${RUN}`);
    approvedId = ordered.id;
    expect(ordered.state).toBe('awaiting-approval');
    // no job runs: it stays waiting
    await new Promise((r) => setTimeout(r, 1500));
    const waiting = await deployment(ordered.id);
    expect(waiting).toMatchObject({ state: 'awaiting-approval', tiers: expect.any(Array) });
    const [requested] = await eventsOf(ordered.id);
    expect(requested).toMatchObject({
      type: 'approval.requested',
      message: expect.stringMatching(
        /awaiting approval: monthly cost [\d.]+ USD is above 1.00 USD; orders three-tier-shop \(rule shop-needs-approval\)/,
      ),
    });

    // the orderer reads why it waits; a member reads only approvals of what it ordered
    const mine = (await users.olga.client.get(`/api/v1/approvals?deploymentId=${ordered.id}`)).body.items;
    expect(mine[0]).toMatchObject({
      state: 'pending',
      deploymentName: `gov-approve-${RUN}`,
      requestedBy: { id: users.olga.id, name: `olga-${RUN}` },
      reasons: [{ rule: 'shop-needs-approval', message: expect.stringMatching(/above 1.00 USD/) }],
      monthlyCost: { amount: expect.stringMatching(/^\d+\.\d+$/), currency: 'USD' },
      mayDecide: false,
    });
    expect((await users.mona.client.get('/api/v1/approvals')).body.items).toEqual([]);
    const approval = await approvalOf(ordered.id);
    expect(approval.mayDecide).toBe(true);

    const self = await users.olga.client.post(`/api/v1/approvals/${approval.id}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/You ordered gov-approve-.*another operator or an admin must decide/);
    expect((await users.mona.client.post(`/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(403);
    expect((await deployment(ordered.id)).state).toBe('awaiting-approval');

    const approved = await users.oscar.client.post(`/api/v1/approvals/${approval.id}/approve`, {
      reason: 'fits the budget',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      decidedBy: { id: users.oscar.id, name: `oscar-${RUN}` },
      decisionReason: 'fits the budget',
    });
    expect((await users.oscar.client.post(`/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(409);

    const running = await eventually(
      async () => {
        const d = await deployment(ordered.id);
        return ['running', 'failed'].includes(d.state) && d.step === 'done' ? d : undefined;
      },
      150_000,
      'the approved deployment to run',
    );
    expect(running.state).toBe('running');
    const types = (await eventsOf(ordered.id)).map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['approval.requested', 'approval.approved']);

    const audit = (await admin.get(`/api/v1/audit-log?resourceId=${approval.id}`)).body.items;
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'approval.approve',
        actor: expect.objectContaining({ name: `oscar-${RUN}` }),
        before: expect.objectContaining({ state: 'pending' }),
        after: expect.objectContaining({ state: 'approved', reason: 'fits the budget' }),
      }),
    ]);
  }, 200_000);

  it('delivers signed webhooks, retried with backoff after a 500, and logs each attempt', async () => {
    const delivered = await eventually(
      async () => {
        const items = (await users.oscar.client.get(`/api/v1/webhooks/${webhook.id}/deliveries`)).body
          .items as {
          eventType: string;
          status: string;
        }[];
        const done = items
          .filter((d) => d.status === 'delivered')
          .map((d) => d.eventType)
          .sort();
        return done.includes('approval.approved') && done.includes('approval.requested') ? items : undefined;
      },
      30_000,
      'the approval webhooks to be delivered',
    );
    const requested = delivered.find((d) => d.eventType === 'approval.requested') as Record<string, any>;
    expect(requested).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
    expect(requested.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 200]);
    // the second try came after the backoff's pause (300 ms base), not at once
    const [first, second] = requested.log.map((a: { at: string }) => Date.parse(a.at));
    expect(second - first).toBeGreaterThanOrEqual(300);

    const got = receiver.received.filter((r) => r.headers['switchyard-event'] === 'approval.requested');
    expect(got.map((r) => r.answered)).toEqual([500, 200]);
    for (const r of receiver.received) expect(signatureValid(webhook.secret, r)).toBe(true);
    // a receiver holding another secret, or a body changed on the way, fails the check
    expect(signatureValid('whsec_wrong', got[1]!)).toBe(false);
    expect(
      signatureValid(webhook.secret, { ...got[1]!, body: got[1]!.body.replace('approval', 'approvaI') }),
    ).toBe(false);
    const body = JSON.parse(got[1]!.body);
    expect(body).toMatchObject({
      type: 'approval.requested',
      data: {
        orderedBy: `olga-${RUN}`,
        reasons: [expect.objectContaining({ rule: 'shop-needs-approval' })],
        approvalId: expect.any(String),
        monthlyCost: { amount: expect.any(String), currency: 'USD' },
        deployment: { name: `gov-approve-${RUN}`, blueprint: 'three-tier-shop@1.3.0' },
        message: expect.stringMatching(/awaiting approval/),
      },
    });
    // types nobody subscribed to (the steps' `state` events) were not sent
    expect(receiver.received.map((r) => r.headers['switchyard-event'])).not.toContain('state');
    expect(got[0]!.headers['switchyard-delivery']).toBe(got[1]!.headers['switchyard-delivery']);
  }, 60_000);

  it('sends any deployment event by its type: a lease that ran out (lease.expired)', async () => {
    // the approved deployment, as if ordered two hours ago with a one-hour lease
    await db.query(
      `UPDATE deployments SET lease_hours = 1, created_at = now() - interval '2 hours' WHERE id = $1`,
      [approvedId],
    );
    const sent = await eventually(
      async () =>
        receiver.received.find(
          (r) => r.headers['switchyard-event'] === 'lease.expired' && r.answered === 200,
        ),
      30_000,
      'the lease.expired webhook',
    );
    expect(signatureValid(webhook.secret, sent)).toBe(true);
    expect(JSON.parse(sent.body)).toMatchObject({
      type: 'lease.expired',
      data: { leaseHours: 1, deployment: { id: approvedId, name: `gov-approve-${RUN}` } },
    });
  }, 60_000);

  it('gives a pending delivery that lost its job a new one in a reconcile round', async () => {
    // as a job whose attempts were all spent on a database outage leaves it: pending, long overdue
    const event = {
      id: randomUUID(),
      type: 'approval.requested',
      tenantId: '',
      createdAt: '',
      data: { lost: true },
    };
    const [row] = (
      await db.query(
        `INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, event_type, payload, next_attempt_at)
         SELECT tenant_id, id, $2, 'approval.requested', $3, now() - interval '10 minutes'
           FROM webhook_subscriptions WHERE id = $1 RETURNING id`,
        [webhook.id, event.id, JSON.stringify(event)],
      )
    ).rows;
    const delivered = await eventually(
      async () => {
        const items = (await users.oscar.client.get(`/api/v1/webhooks/${webhook.id}/deliveries`)).body.items;
        const d = items.find((x: { id: string }) => x.id === row.id);
        return d?.status === 'delivered' ? d : undefined;
      },
      30_000,
      'the lost delivery to be sent',
    );
    expect(delivered.attempts).toBe(2);
    expect(receiver.received.filter((r) => r.headers['switchyard-delivery'] === row.id)).toHaveLength(2);
  }, 60_000);

  it('rejects with a reason (required), ending the deployment without running it', async () => {
    const ordered = await order(users.olga.client, `gov-reject-${RUN}`);
    const approval = await approvalOf(ordered.id);
    const noReason = await users.oscar.client.post(`/api/v1/approvals/${approval.id}/reject`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([expect.objectContaining({ path: 'reason' })]);
    const rejected = await users.oscar.client.post(`/api/v1/approvals/${approval.id}/reject`, {
      reason: 'use the staging catalog',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'rejected', decisionReason: 'use the staging catalog' });
    const d = await deployment(ordered.id);
    expect(d.state).toBe('rejected');
    const events = await eventsOf(ordered.id);
    expect(events.at(-1)).toMatchObject({
      type: 'approval.rejected',
      message: `rejected by oscar-${RUN}: use the staging catalog`,
    });
    expect((await users.oscar.client.post(`/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(409);
    expect(
      (
        await db.query('SELECT count(*)::int AS n FROM deployment_instances WHERE deployment_id = $1', [
          ordered.id,
        ])
      ).rows[0].n,
    ).toBe(0);
    await eventually(
      async () =>
        receiver.received.some(
          (r) => r.headers['switchyard-event'] === 'approval.rejected' && r.answered === 200,
        ),
      30_000,
      'the rejection webhook',
    );
  });

  it('syd approval ls, approve and reject work the same inbox, and the orderer is refused there too', async () => {
    const syd = (who: 'olga' | 'oscar', ...args: string[]) =>
      runSyd(args, { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: users[who].client.token! });
    const one = await order(users.olga.client, `gov-cli-a-${RUN}`);
    const two = await order(users.olga.client, `gov-cli-b-${RUN}`);
    const ls = await syd('oscar', 'approval', 'ls', '--json');
    expect(ls.code).toBe(0);
    const pending = JSON.parse(ls.stdout) as {
      id: string;
      deploymentId: string;
      requestedBy: { name: string };
    }[];
    const a = pending.find((p) => p.deploymentId === one.id)!;
    const b = pending.find((p) => p.deploymentId === two.id)!;
    expect(a.requestedBy.name).toBe(`olga-${RUN}`);
    const table = await syd('oscar', 'approval', 'ls');
    expect(table.stdout).toMatch(new RegExp(`gov-cli-a-${RUN}.*olga-${RUN}.*pending`));

    const own = await syd('olga', 'approval', 'approve', a.id);
    expect(own.code).not.toBe(0);
    expect(own.stderr).toMatch(/You ordered gov-cli-a-/);
    const noReason = await syd('oscar', 'approval', 'reject', b.id);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toMatch(/--reason is required/);

    expect((await syd('oscar', 'approval', 'reject', b.id, '--reason', 'duplicate order')).stdout).toBe(
      `rejected: gov-cli-b-${RUN}\n`,
    );
    expect((await deployment(two.id)).state).toBe('rejected');
    const approved = await syd('oscar', 'approval', 'approve', a.id);
    expect(approved).toMatchObject({ code: 0, stdout: `approved: gov-cli-a-${RUN} goes ahead\n` });
    expect(['pending', 'provisioning', 'running']).toContain((await deployment(one.id)).state);
  }, 60_000);

  it('expires an approval nobody decided, in a reconcile round', async () => {
    const ordered = await order(users.olga.client, `gov-expire-${RUN}`);
    const approval = await approvalOf(ordered.id);
    // the rule gives it two hours; the test moves its deadline instead of waiting
    await db.query(`UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      approval.id,
    ]);
    const expired = await eventually(
      async () => {
        const d = await deployment(ordered.id);
        return d.state === 'expired' ? d : undefined;
      },
      30_000,
      'the reconciler to expire the approval',
    );
    expect(expired.state).toBe('expired');
    expect((await approvalOf(ordered.id)).state).toBe('expired');
    expect((await eventsOf(ordered.id)).at(-1)).toMatchObject({ type: 'approval.expired' });
    const late = await users.oscar.client.post(`/api/v1/approvals/${approval.id}/approve`, {});
    expect(late.status).toBe(409);
    const audit = (await admin.get(`/api/v1/audit-log?resourceId=${approval.id}`)).body.items;
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'approval.expire',
        actor: expect.objectContaining({ name: 'system' }),
      }),
    ]);
  }, 60_000);

  it('entitlements hide blueprints and environments, and refuse orders naming the reason', async () => {
    const member = users.mona.client;
    const before = (await member.get('/api/v1/blueprints?limit=500')).body.items.map(
      (b: { name: string }) => b.name,
    );
    expect(before).toEqual(expect.arrayContaining(['three-tier-shop', 'wordpress']));

    expect(
      (
        await users.oscar.client.request('PUT', '/api/v1/entitlements/default', {
          blueprints: ['wordpress'],
          environments: null,
        })
      ).status,
    ).toBe(403);
    const set = await admin.request('PUT', '/api/v1/entitlements/default', {
      blueprints: ['wordpress', 'rstudio-*'],
      environments: ['e2e-aws-*'],
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      tenant: 'default',
      blueprints: ['wordpress', 'rstudio-*'],
      environments: ['e2e-aws-*'],
    });

    const names = (await member.get('/api/v1/blueprints?limit=500')).body.items.map(
      (b: { name: string }) => b.name,
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n: string) => n === 'wordpress' || n.startsWith('rstudio-'))).toBe(true);
    expect(names).not.toContain('three-tier-shop');
    const envs = (await member.get('/api/v1/environments')).body.items.map((e: { name: string }) => e.name);
    expect(envs).toEqual([clouds.aws]);

    const page = await member.get('/api/v1/blueprints/three-tier-shop');
    expect(page.status).toBe(403);
    const refused = await member.post('/api/v1/orders', {
      blueprint: 'three-tier-shop',
      name: `gov-refused-${RUN}`,
      parameters: { dbPassword: 'x' },
      placement: { default: clouds.aws },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.details).toEqual([
      {
        path: 'blueprint',
        message:
          'three-tier-shop is not among the blueprints this tenant is entitled to (wordpress, rstudio-*)',
      },
    ]);
    const wrongPlace = await member.post('/api/v1/orders', {
      blueprint: 'wordpress',
      name: `gov-wrong-place-${RUN}`,
      parameters: { dbPassword: 'x-secret-wp', adminEmail: 'ops@example.com' },
      placement: { default: clouds.vsphere },
    });
    expect(wrongPlace.status).toBe(403);
    expect(wrongPlace.body.details).toEqual([
      {
        path: 'placement.default',
        message: `${clouds.vsphere} is not among the environments this tenant is entitled to (e2e-aws-*)`,
      },
    ]);
    // admins manage every tenant and are not bound
    expect((await admin.get('/api/v1/blueprints/three-tier-shop')).status).toBe(200);

    const audit = (await admin.get('/api/v1/audit-log?resourceType=tenant')).body.items;
    expect(audit[0]).toMatchObject({
      action: 'entitlements.update',
      before: { blueprints: null, environments: null },
      after: { blueprints: ['wordpress', 'rstudio-*'], environments: ['e2e-aws-*'] },
    });
    await admin.request('PUT', '/api/v1/entitlements/default', { blueprints: null, environments: null });
    expect((await member.get('/api/v1/blueprints/three-tier-shop')).status).toBe(200);
  });
});
