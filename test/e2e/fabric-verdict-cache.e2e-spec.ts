import type pg from 'pg';
import { noticeListenerOf, testDb } from '../support/db.js';
import { Contiv, uniqueTenant } from '../support/fabric.js';
import { Client, eventually } from '../support/http.js';
import { freePort, stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const T = uniqueTenant('vcache');

// Two API processes answer verdicts from each tenant's compiled policy held in memory. Every
// change made through one process, or in the database directly, must change the other's answers
// (Postgres's notices), and a process that cannot hear them must answer from the database.
describe('verdicts from the compiled policy held by every API process', () => {
  const apis: (Proc & { url: string })[] = [];
  let db: pg.Client;
  let c: Contiv;

  const listenerOf = (api: Proc) => noticeListenerOf(db, api);
  const verdictOn = async (api: Proc & { url: string }, from: string, to: string, port = 80) => {
    const res = await new Client(api.url, ADMIN).get(
      `/api/v1/fabric/verdict?tenant=${T}&from=${from}&to=${to}&protocol=tcp&port=${port}`,
    );
    expect(res.status).toBe(200);
    return res.body as { action: string; decidedBy: unknown };
  };
  /** The verdict's action on both processes, each asked twice (the second from memory). */
  const actions = async (from: string, to: string, port = 80) => {
    const out: string[] = [];
    for (const api of apis)
      for (let i = 0; i < 2; i++) out.push((await verdictOn(api, from, to, port)).action);
    return out;
  };
  const everywhere = (from: string, to: string, action: string, what: string) =>
    eventually(async () => (await actions(from, to)).every((a) => a === action), 5_000, what);
  const rule = (id: string, body: object) =>
    c.create('rules', `${T}:p1:${id}`, { tenantName: T, policyName: 'p1', ruleId: id, ...body });

  beforeAll(async () => {
    const env = await stackEnv();
    apis.push(await startApi(env));
    apis.push(await startApi({ ...env, PORT: String(await freePort()) }));
    db = await testDb();
    c = new Contiv(new Client(apis[0]!.url, ADMIN));
    expect((await c.create('tenants', T, { tenantName: T })).status).toBe(200);
    const net = {
      tenantName: T,
      networkName: 'n1',
      encap: 'vlan',
      subnet: '60.1.1.0/24',
      gateway: '60.1.1.254',
    };
    expect((await c.create('networks', `${T}:n1`, net)).status).toBe(200);
    expect((await c.create('policys', `${T}:p1`, { tenantName: T, policyName: 'p1' })).status).toBe(200);
    for (const [g, policies] of [
      ['web', []],
      ['db', ['p1']],
    ] as const) {
      const body = { tenantName: T, groupName: g, networkName: 'n1', policies };
      expect((await c.create('endpointGroups', `${T}:${g}`, body)).status).toBe(200);
    }
    for (const api of apis) await eventually(() => listenerOf(api), 15_000, 'the change-notice listener');
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    for (const api of apis) await api.stop();
  });

  it('a rule added through one process decides on both, at once on the one that added it', async () => {
    expect(await actions('web', 'db')).toEqual(['allow', 'allow', 'allow', 'allow']);
    const deny = await rule('1', { direction: 'in', priority: 1, action: 'deny' });
    expect(deny.status).toBe(200);
    expect((await verdictOn(apis[0]!, 'web', 'db')).action).toBe('deny');
    await everywhere('web', 'db', 'deny', 'the deny on both processes');
    expect(
      (
        await rule('2', {
          direction: 'in',
          priority: 5,
          action: 'allow',
          fromEndpointGroup: 'web',
          protocol: 'tcp',
          port: 80,
        })
      ).status,
    ).toBe(200);
    await everywhere('web', 'db', 'allow', 'the higher allow on both processes');
    expect((await verdictOn(apis[1]!, 'web', 'db', 81)).action).toBe('deny');
  });

  it('an address gets its group on both processes once its endpoint is made', async () => {
    const ep = await c.plugin('createEndpoint', {
      TenantName: T,
      NetworkName: 'n1',
      ServiceName: 'web',
      EndpointID: `ep-${T}`,
    });
    expect(ep.status).toBe(200);
    const address = ep.body.EndpointConfig.ipAddress[0] as string;
    expect(address).toMatch(/^60\.1\.1\./);
    // the address is web's: web may reach db on 80, nothing else may
    await everywhere(address, 'db', 'allow', 'the endpoint as web on both processes');
    expect((await verdictOn(apis[1]!, '60.1.1.200', 'db')).action).toBe('deny');
  });

  it('a tenant deleted through one process, or renamed in the database, is gone on both', async () => {
    // the verdict holds each tenant's id by name: asked twice on both, the second from memory
    const gone = uniqueTenant('vgone');
    const moved = uniqueTenant('vmoved');
    const renamed = uniqueTenant('vrenamed');
    for (const t of [gone, moved]) expect((await c.create('tenants', t, { tenantName: t })).status).toBe(200);
    const statusOn = async (api: Proc & { url: string }, tenant: string) =>
      (
        await new Client(api.url, ADMIN).get(
          `/api/v1/fabric/verdict?tenant=${tenant}&from=10.1.1.1&to=10.1.1.2&protocol=tcp&port=80`,
        )
      ).status;
    const statuses = async (tenant: string) => {
      const out: number[] = [];
      for (const api of apis) for (let i = 0; i < 2; i++) out.push(await statusOn(api, tenant));
      return out;
    };
    expect(await statuses(gone)).toEqual([200, 200, 200, 200]);
    expect(await statuses(moved)).toEqual([200, 200, 200, 200]);

    expect((await c.remove('tenants', gone)).status).toBe(200);
    expect(await statusOn(apis[0]!, gone)).toBe(404);
    await eventually(
      async () => (await statuses(gone)).every((s) => s === 404),
      5_000,
      'the deleted tenant gone on both processes',
    );

    await db.query('UPDATE tenants SET name = $1 WHERE name = $2', [renamed, moved]);
    await eventually(
      async () => (await statuses(moved)).every((s) => s === 404),
      5_000,
      'the old name gone on both processes',
    );
    expect(await statuses(renamed)).toEqual([200, 200, 200, 200]);
  });

  it('a change in the database directly reaches both; a process that cannot hear reads the database', async () => {
    await db.query(
      `UPDATE fabric_objects SET config = jsonb_set(config, '{priority}', '9')
        WHERE kind = 'rule' AND config->>'tenantName' = $1 AND config->>'ruleId' = '1'`,
      [T],
    );
    await everywhere('web', 'db', 'deny', 'the raised deny on both processes');

    const second = apis[1]!;
    const listener = (await listenerOf(second))!;
    await db.query('SELECT pg_terminate_backend($1)', [listener.pid]);
    await db.query(
      `UPDATE fabric_objects SET config = jsonb_set(config, '{priority}', '1')
        WHERE kind = 'rule' AND config->>'tenantName' = $1 AND config->>'ruleId' = '1'`,
      [T],
    );
    expect((await verdictOn(second, 'web', 'db')).action).toBe('allow');
    await eventually(
      async () => {
        const l = await listenerOf(second);
        return l && l.pid !== listener.pid;
      },
      15_000,
      'the listener to reconnect',
    );
    await rule('3', { direction: 'in', priority: 20, action: 'deny', fromEndpointGroup: 'web' });
    await everywhere('web', 'db', 'deny', 'the new deny on both processes after reconnecting');
  });
});
