import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import type pg from 'pg';
import { noticeListenerOf, testDb } from '../support/db.js';
import { simpleYaml, YAML } from '../support/blueprint-fixtures.js';
import { Client, eventually } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

/** The processes whose parent is `pid` (the API's workers), from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children.sort((a, b) => a - b);
}

/** The names a GET of the catalog lists, on a connection of its own (so on either worker). */
function catalogOnNewConnection(url: string, token: string): Promise<string[]> {
  return new Promise((ok, fail) => {
    const req = request(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return fail(new Error(`${url}: ${res.statusCode} ${body}`));
        ok((JSON.parse(body) as { items: { name: string }[] }).items.map((i) => i.name));
      });
    });
    req.on('error', fail);
    req.setTimeout(5_000, () => req.destroy(new Error(`no answer in 5 s from ${url}`)));
    req.end();
  });
}

/** One GET on a connection of its own: node:cluster hands connections, not requests, round-robin. */
function getOnNewConnection(url: string, token: string): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.setTimeout(5_000, () => req.destroy(new Error(`no answer in 5 s from ${url}`)));
    req.end();
  });
}

// API_PROCESSES=2: a primary that serves nothing and two workers sharing the port. Everything a
// single API process promises must hold across them: revocation, metrics, survival of a crash.
describe('an API of two processes sharing one port', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let db: pg.Client;
  const tenant = `cluster-${RUN}`;
  let userId: string;

  const workers = () => childrenOf(api.child.pid!);
  const listening = async (pids: number[]) => {
    for (const pid of pids) if (!(await noticeListenerOf(db, { child: { pid } }))) return false;
    return true;
  };
  const meOnFreshConnections = (token: string, n = 12) =>
    Promise.all(Array.from({ length: n }, () => getOnNewConnection(`${api.url}/api/v1/me`, token)));

  beforeAll(async () => {
    api = await startApi(
      await stackEnv({ API_PROCESSES: '2', PRINCIPAL_CACHE_MS: '60000', LOG_LEVEL: 'info' }),
    );
    admin = new Client(api.url, ADMIN);
    db = await testDb();
    await api.waitForLog(/2 processes listen on the port/, 30_000);
    await eventually(
      async () => workers().length === 2 && (await listening(workers())),
      30_000,
      'two workers listening for notices',
    );
    expect((await admin.post('/api/v1/tenants', { name: tenant })).status).toBe(201);
    const user = await admin.post('/api/v1/users', { name: 'rita', role: 'operator', tenant });
    expect(user.status).toBe(201);
    userId = user.body.id;
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  it('answers from both workers, and a token revoked through one is refused on every connection', async () => {
    const created = await admin.post('/api/v1/tokens', { name: `t-${RUN}`, userId });
    expect(created.status).toBe(201);
    const { id, token } = created.body as { id: string; token: string };
    // twice over fresh connections: both workers now hold the token in memory
    expect(new Set([...(await meOnFreshConnections(token)), ...(await meOnFreshConnections(token))])).toEqual(
      new Set([200]),
    );
    expect((await admin.delete(`/api/v1/tokens/${id}`)).status).toBe(204);
    const revokedAt = Date.now();
    await eventually(
      async () => (await meOnFreshConnections(token)).every((s) => s === 401),
      5_000,
      'every worker to refuse the revoked token',
    );
    // the bound: a revoked token stops working within a second everywhere
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it('a change of entitlements, even one made in SQL, reaches the catalog list of every worker', async () => {
    const created = await admin.post('/api/v1/tokens', { name: `e-${RUN}`, userId });
    expect(created.status).toBe(201);
    const { token } = created.body as { token: string };
    const operator = new Client(api.url, token);
    const name = `ent-${RUN}`;
    expect((await operator.post('/api/v1/blueprints', simpleYaml(name, '1.0.0'), YAML)).status).toBe(201);
    expect(
      (
        await admin.request('PUT', `/api/v1/entitlements/${tenant}`, {
          blueprints: [name],
          environments: null,
        })
      ).status,
    ).toBe(200);
    const lists = () =>
      Promise.all(
        Array.from({ length: 8 }, () =>
          catalogOnNewConnection(`${api.url}/api/v1/blueprints?q=${name}`, token),
        ),
      );
    // twice over fresh connections: both workers now hold the tenant's entitlements in memory
    expect((await lists()).every((names) => names.includes(name))).toBe(true);
    expect((await lists()).every((names) => names.includes(name))).toBe(true);
    // a change no API process makes: only the trigger's notice can tell them
    const [{ id: tenantId }] = (await db.query(`SELECT id FROM tenants WHERE name = $1`, [tenant])).rows as [
      { id: string },
    ];
    await db.query(`UPDATE tenant_entitlements SET blueprints = '{}' WHERE tenant_id = $1`, [tenantId]);
    const changedAt = Date.now();
    await eventually(
      async () => (await lists()).every((names) => names.length === 0),
      5_000,
      'every worker to hide the blueprint no longer entitled',
    );
    expect(Date.now() - changedAt).toBeLessThan(1_000);
    await db.query(`DELETE FROM tenant_entitlements WHERE tenant_id = $1`, [tenantId]);
    await eventually(
      async () => (await lists()).every((names) => names.includes(name)),
      5_000,
      'every worker to list it again once the entitlements are gone',
    );
  });

  it('/metrics counts the requests of both workers, and the queues once', async () => {
    const route = (text: string) =>
      Number(
        /switchyard_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/me",status="401"\} (\d+)/.exec(
          text,
        )?.[1] ?? 0,
      );
    const before = route((await admin.get('/metrics')).text);
    const statuses = await meOnFreshConnections('not-a-token', 20);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const metrics = await admin.get('/metrics');
    expect(metrics.status).toBe(200);
    // 20 requests over 20 connections, dealt round-robin: one worker alone would count about 10
    expect(route(metrics.text) - before).toBe(20);
    // queue depths are read from Redis, the same for every worker: shown once, not summed
    const waiting = [
      ...metrics.text.matchAll(/^switchyard_queue_jobs\{queue="admin",state="waiting"\} (\d+)$/gm),
    ];
    expect(waiting).toHaveLength(1);
    expect(metrics.text.match(/^# HELP switchyard_queue_jobs /gm)).toHaveLength(1);
  });

  it('replaces a worker that dies, and keeps answering meanwhile', async () => {
    const [victim, survivor] = workers();
    process.kill(victim!, 'SIGKILL');
    // once the primary knows (a connection dealt to a process at the instant it dies is lost with
    // it, as with any crashed server), the survivor takes every connection until the new one is up
    await api.waitForLog(/an API process died \(SIGKILL\); starting another in \d+ s/, 10_000);
    const during = await meOnFreshConnections(ADMIN, 10);
    expect(during.every((s) => s === 200)).toBe(true);
    await eventually(
      async () => {
        const now = workers();
        return (
          now.length === 2 && now.includes(survivor!) && !now.includes(victim!) && (await listening(now))
        );
      },
      30_000,
      'a new worker in place of the killed one',
    );
    expect((await meOnFreshConnections(ADMIN, 10)).every((s) => s === 200)).toBe(true);
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    const pids = workers();
    expect(pids).toHaveLength(2);
    expect(await api.stop()).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
