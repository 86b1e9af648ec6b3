import { createHash } from 'node:crypto';
import type pg from 'pg';
import { testDb } from '../support/db.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;

describe('API basics: auth, errors, tokens, docs, metrics', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let db: pg.Client;

  beforeAll(async () => {
    api = await startApi(await stackEnv({ LOG_LEVEL: 'info' }));
    admin = new Client(api.url, ADMIN);
    db = await testDb();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  it('names every bad field of a body at once, by path', async () => {
    const res = await admin.post('/api/v1/users', {
      name: 'Not A Label',
      role: 'god',
      email: 'nope',
      extra: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const paths = (res.body.details as { path: string }[]).map((d) => d.path).sort();
    expect([...new Set(paths)]).toEqual(['email', 'extra', 'name', 'role']);
    expect(res.body.details.find((d: { path: string }) => d.path === 'extra').message).toBe(
      'is not a known field',
    );
  });

  it('answers malformed JSON with the error shape', async () => {
    const res = await admin.post('/api/v1/tokens', '{"name": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details).toEqual([expect.objectContaining({ path: '' })]);
  });

  it('refuses a body over the size limit with 413 before reading it all', async () => {
    const res = await admin.post('/api/v1/tokens', JSON.stringify({ name: 'x'.repeat(2_000_000) }));
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    // the error shape of every other refusal, and nothing of the body echoed back
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: expect.stringMatching(/too large/i),
      details: [],
    });
  });

  it('answers 401 without a token or with a bad one, and says how to authenticate', async () => {
    const none = await admin.as(undefined).get('/api/v1/me');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', details: [] });
    const bad = await admin.as('syd_not-a-real-token-at-all-0000000000000000').get('/api/v1/me');
    expect(bad.status).toBe(401);
  });

  it('takes the token as the user name of HTTP Basic auth (netctl-style URLs)', async () => {
    const basic = Buffer.from(`${ADMIN}:`).toString('base64');
    const res = await admin.as(undefined).get('/api/v1/me', { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'admin', tenant: { name: 'default' }, user: { name: 'admin' } });
  });

  it('answers 403 to a token without the right, 404 for another tenant, and revokes', async () => {
    const tenant = `team-${Date.now()}`;
    expect((await admin.post('/api/v1/tenants', { name: tenant })).status).toBe(201);
    const user = await admin.post('/api/v1/users', { name: 'bob', role: 'member', tenant });
    expect(user.status).toBe(201);
    expect(user.headers.get('location')).toBe(`/api/v1/users/${user.body.id}`);
    const created = await admin.post('/api/v1/tokens', { name: 'bob-ci', userId: user.body.id });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^syd_[A-Za-z0-9_-]{43}$/);
    expect(created.body.role).toBe('member');
    const bob = admin.as(created.body.token);

    expect((await bob.get('/api/v1/me')).body.tenant.name).toBe(tenant);
    const forbidden = await bob.post('/api/v1/admin/self-check');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toMatch(/admin role/);
    expect((await bob.post('/api/v1/tenants', { name: 'x' })).status).toBe(403);
    // another tenant's objects are invisible, never "forbidden"
    expect((await bob.get('/api/v1/tenants/default')).status).toBe(404);
    const own = await bob.get('/api/v1/tenants');
    expect(own.body.items.map((t: { name: string }) => t.name)).toEqual([tenant]);
    // a member cannot mint a token above its role
    expect((await bob.post('/api/v1/tokens', { name: 'up', role: 'admin' })).status).toBe(403);

    expect((await admin.delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204);
    expect((await bob.get('/api/v1/me')).status).toBe(401);
  });

  it('stores tokens only as hashes and records every mutation in the audit log', async () => {
    const created = await admin.post('/api/v1/tokens', { name: 'hash-check' });
    const token: string = created.body.token;
    const { rows } = await db.query('SELECT * FROM api_tokens WHERE id = $1', [created.body.id]);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(8));
    expect(rows[0].token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    // listing never shows the token again
    const list = await admin.get('/api/v1/tokens?limit=500');
    expect(list.text).not.toContain(token);

    const audit = await admin.get(`/api/v1/audit-log?resourceType=api-token&resourceId=${created.body.id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'token.create', actor: expect.objectContaining({ name: 'admin' }) }),
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(token);
    expect(audit.body.items[0].after).toMatchObject({ name: 'hash-check', role: 'admin' });
  });

  it('pages lists with a cursor, in a stable order', async () => {
    const prefix = `pg${Date.now()}`;
    for (let i = 0; i < 5; i++)
      expect((await admin.post('/api/v1/tenants', { name: `${prefix}-${i}` })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await admin.get(
        `/api/v1/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((t) => t.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.filter((n) => n.startsWith(prefix))).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await admin.get('/api/v1/tenants?limit=0&cursor=@@');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['cursor', 'limit']);
  });

  it('answers conflicts with 409 and unknown routes with the error shape', async () => {
    expect((await admin.post('/api/v1/tenants', { name: 'default' })).status).toBe(409);
    const missing = await admin.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const badId = await admin.delete('/api/v1/tokens/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.details).toEqual([{ path: 'id', message: 'must be a UUID' }]);
  });

  it('serves OpenAPI 3 and a docs page without a token', async () => {
    const doc = await admin.as(undefined).get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/tokens',
      '/api/v1/tenants',
      '/api/v1/admin/self-check',
      '/api/v1/audit-log',
    ]) {
      expect(doc.body.paths).toHaveProperty([path]);
    }
    const page = await admin.as(undefined).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
  });

  it('exposes Prometheus metrics: latency by route and status, queue depth and outcomes', async () => {
    const metrics = async () => {
      const res = await admin.as(undefined).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text;
    };
    const meCount =
      /switchyard_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/me",status="200"\} (\d+)/;
    const waiting = /switchyard_queue_jobs\{queue="admin",state="waiting"\} (\d+)/;
    const completed = /switchyard_queue_jobs_finished_total\{queue="admin",outcome="completed"\} (\d+)/;
    const value = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);

    await admin.get('/api/v1/me');
    const before = await metrics();
    // three more answers to GET /me, and one self-check queued with no worker in this file to run it
    for (let i = 0; i < 3; i++) expect((await admin.get('/api/v1/me')).status).toBe(200);
    expect((await admin.post('/api/v1/admin/self-check')).status).toBe(202);
    const after = await metrics();
    expect(value(after, meCount) - value(before, meCount)).toBe(3);
    expect(value(after, waiting) - value(before, waiting)).toBe(1);
    expect(value(after, completed)).toBe(0);
    expect(after).toMatch(
      /switchyard_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/v1\/me",status="200"\} \d+/,
    );
  });

  it('carries a request id: echoed back, and on the log lines of the request', async () => {
    const res = await admin.get('/api/v1/me', { 'x-request-id': 'e2e-req-42' });
    expect(res.headers.get('x-request-id')).toBe('e2e-req-42');
    const generated = await admin.get('/api/v1/me');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 200));
    const lines = api.log.split('\n').filter((l) => l.includes('e2e-req-42'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ requestId: 'e2e-req-42' });
  });

  it('never writes a token into its logs', async () => {
    // a request of this test's own, so that its line cannot be one an earlier test left
    const probe = `no-token-probe-${Date.now()}`;
    expect((await admin.get('/api/v1/me', { 'x-request-id': probe })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const line = api.log.split('\n').find((l) => l.includes(probe));
    expect(line && JSON.parse(line)).toMatchObject({
      requestId: probe,
      req: { method: 'GET', url: '/api/v1/me' },
      res: { statusCode: 200 },
    });
    expect(api.log).not.toContain(ADMIN);
  });

  it('reports liveness without touching dependencies', async () => {
    const res = await admin.as(undefined).get('/health/live');
    expect(res.status).toBe(200);
    const ready = await admin.as(undefined).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });
});
