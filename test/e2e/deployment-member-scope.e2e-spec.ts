import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { testDb } from '../support/db.js';
import { Client, type Reply } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);
const ACTIONS = [
  { action: 'stop' },
  { action: 'restart' },
  { action: 'scale', tier: 'web', count: 2 },
  { action: 'terminate' },
] as const;

/**
 * Who acts on which deployment: members on what they ordered, operators on their tenant's,
 * admins on all. The deployments are seeded running, as the worker leaves them (no clouds are
 * needed to decide who may act); the API and Postgres are real.
 */
describe('deployments: members act on what they ordered, read the tenant’s', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let db: pg.Client;
  const tenant = `scope-${RUN}`;
  const other = `scope-other-${RUN}`;
  const users: Record<string, { id: string; client: Client }> = {};
  const deployments: Record<string, string> = {};

  // created a second apart, in seeding order: inserts within one millisecond would tie on
  // created_at, and the list would order those by id
  let seeded = 0;
  const seed = async (name: string, tenantId: string, requestedBy: string | null) => {
    const id = randomUUID();
    const money = { amount: '0.10', currency: 'USD' };
    await db.query(
      `INSERT INTO deployments (id, tenant_id, name, state, seq, step, blueprint_name, blueprint_version,
                                blueprint, parameters, placement, plan, requested_by, running_at, created_at)
       VALUES ($1, $2, $3, 'running', 3, 'done', 'web', '1.0.0', $4, '{}', $5, $6, $7, now(),
               now() + make_interval(secs => $8))`,
      [
        id,
        tenantId,
        name,
        { tiers: { web: { scale: { min: 1, max: 5 } } } },
        { default: 'nowhere' },
        { currency: 'USD', tiers: [], stages: [['web']], total: { hourly: money, monthly: money } },
        requestedBy,
        seeded++,
      ],
    );
    deployments[name] = id;
    return id;
  };

  const stateOf = async (id: string) =>
    (await db.query('SELECT state FROM deployments WHERE id = $1', [id])).rows[0].state as string;
  const setRunning = (id: string) =>
    db.query(`UPDATE deployments SET state = 'running', step = 'done' WHERE id = $1`, [id]);

  beforeAll(async () => {
    api = await startApi(await stackEnv());
    admin = new Client(api.url, ADMIN);
    db = await testDb();
    for (const name of [tenant, other])
      expect((await admin.post('/api/v1/tenants', { name })).status).toBe(201);
    const make = async (key: string, role: string, t: string) => {
      const user = await admin.post('/api/v1/users', { name: `${key}-${RUN}`, role, tenant: t });
      expect(user.status).toBe(201);
      const token = await admin.post('/api/v1/tokens', { name: key, userId: user.body.id });
      expect(token.status).toBe(201);
      users[key] = { id: user.body.id, client: admin.as(token.body.token) };
    };
    await make('mia', 'member', tenant);
    await make('max', 'member', tenant);
    await make('olaf', 'operator', tenant);
    await make('otto', 'member', other);
    const tenantId = (await db.query('SELECT id FROM tenants WHERE name = $1', [tenant])).rows[0].id;
    const otherId = (await db.query('SELECT id FROM tenants WHERE name = $1', [other])).rows[0].id;
    await seed(`mias-${RUN}`, tenantId, users.mia!.id);
    await seed(`maxs-${RUN}`, tenantId, users.max!.id);
    await seed(`olafs-${RUN}`, tenantId, users.olaf!.id);
    await seed(`nobodys-${RUN}`, tenantId, null);
    await seed(`ottos-${RUN}`, otherId, users.otto!.id);
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((d) => d.name).sort();

  it('pages the tenant’s deployments newest first, one at a time, each once, with the filters kept', async () => {
    const mia = users.mia!.client;
    const walk = async (filter: string) => {
      const seen: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const res: Reply = await mia.get(
          `/api/v1/deployments?limit=1&${filter}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((d: { name: string }) => d.name));
        cursor = res.body.nextCursor;
      }
      return seen;
    };
    // seeded in this order, so the newest is the last seeded
    expect(await walk(`q=${RUN}`)).toEqual([`nobodys-${RUN}`, `olafs-${RUN}`, `maxs-${RUN}`, `mias-${RUN}`]);
    expect(await walk(`q=${RUN}&mine=true`)).toEqual([`mias-${RUN}`]);
  });

  it('a member reads every deployment of its tenant; ?mine=true lists only what it ordered', async () => {
    const mia = users.mia!.client;
    const all = await mia.get('/api/v1/deployments?limit=500');
    expect(all.status).toBe(200);
    expect(names(all)).toEqual([`maxs-${RUN}`, `mias-${RUN}`, `nobodys-${RUN}`, `olafs-${RUN}`]);
    const mine = await mia.get('/api/v1/deployments?mine=true');
    expect(names(mine)).toEqual([`mias-${RUN}`]);
    expect(names(await users.max!.client.get('/api/v1/deployments?mine=true'))).toEqual([`maxs-${RUN}`]);
    expect(names(await users.olaf!.client.get('/api/v1/deployments?mine=true'))).toEqual([`olafs-${RUN}`]);

    // the detail says whether this caller may act, for the web's buttons
    const own = await mia.get(`/api/v1/deployments/${deployments[`mias-${RUN}`]}`);
    expect(own.body).toMatchObject({
      mayAct: true,
      allowedActions: ['stop', 'restart', 'scale', 'terminate'],
    });
    const maxs = await mia.get(`/api/v1/deployments/${deployments[`maxs-${RUN}`]}`);
    expect(maxs.status).toBe(200);
    expect(maxs.body.mayAct).toBe(false);
    expect(
      (await users.olaf!.client.get(`/api/v1/deployments/${deployments[`maxs-${RUN}`]}`)).body.mayAct,
    ).toBe(true);
    // another tenant's is not there at all
    expect((await mia.get(`/api/v1/deployments/${deployments[`ottos-${RUN}`]}`)).status).toBe(404);
  });

  it('a member cannot stop, restart, scale or terminate another’s deployment (403), nor one nobody ordered', async () => {
    const mia = users.mia!.client;
    for (const target of [`maxs-${RUN}`, `olafs-${RUN}`, `nobodys-${RUN}`]) {
      for (const body of ACTIONS) {
        const res = await mia.post(`/api/v1/deployments/${deployments[target]}/actions`, body);
        expect({ target, action: body.action, status: res.status }).toEqual({
          target,
          action: body.action,
          status: 403,
        });
        expect(res.body.message).toMatch(/Members act only on the deployments they ordered/);
      }
      expect(await stateOf(deployments[target]!)).toBe('running');
    }
    // another tenant's: 404, as everywhere
    const ottos = await mia.post(`/api/v1/deployments/${deployments[`ottos-${RUN}`]}/actions`, {
      action: 'terminate',
    });
    expect(ottos.status).toBe(404);
    expect(await stateOf(deployments[`ottos-${RUN}`]!)).toBe('running');
    // nothing of it reached the event timeline
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM deployment_events WHERE deployment_id = ANY($1) AND type = 'action'`,
      [[deployments[`maxs-${RUN}`], deployments[`olafs-${RUN}`], deployments[`nobodys-${RUN}`]]],
    );
    expect(rows[0].n).toBe(0);
  });

  it('a member acts on what it ordered; an operator on all of its tenant; an admin anywhere', async () => {
    for (const body of ACTIONS) {
      const id = deployments[`mias-${RUN}`]!;
      const res = await users.mia!.client.post(`/api/v1/deployments/${id}/actions`, body);
      expect({ action: body.action, status: res.status }).toEqual({ action: body.action, status: 202 });
      await setRunning(id);
    }
    const olaf = users.olaf!.client;
    for (const target of [`maxs-${RUN}`, `nobodys-${RUN}`]) {
      const id = deployments[target]!;
      expect((await olaf.post(`/api/v1/deployments/${id}/actions`, { action: 'stop' })).status).toBe(202);
      expect(await stateOf(id)).toBe('stopping');
      await setRunning(id);
    }
    expect(
      (await olaf.post(`/api/v1/deployments/${deployments[`ottos-${RUN}`]}/actions`, { action: 'stop' }))
        .status,
    ).toBe(404);
    const ottos = deployments[`ottos-${RUN}`]!;
    expect((await admin.post(`/api/v1/deployments/${ottos}/actions`, { action: 'stop' })).status).toBe(202);
    await setRunning(ottos);
  });

  it('documents the member rule on the action route', async () => {
    const doc = (await admin.get('/api/openapi.json')).body;
    const act = doc.paths['/api/v1/deployments/{id}/actions'].post;
    expect(act.responses['403'].description).toMatch(/member/i);
  });
});
