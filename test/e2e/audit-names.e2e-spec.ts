import type pg from 'pg';
import { testDb } from '../support/db.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

interface Entry {
  action: string;
  resourceType: string;
  resourceId: string;
  resourceName: string | null;
  tenantId: string;
}

describe('Audit log: each entry names its target, in its own tenant', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let db: pg.Client;

  const entries = async (query: string): Promise<Entry[]> => {
    const res = await admin.get(`/api/v1/audit-log?${query}`);
    expect(res.status).toBe(200);
    return res.body.items as Entry[];
  };

  beforeAll(async () => {
    api = await startApi(await stackEnv({ LOG_LEVEL: 'warn' }));
    admin = new Client(api.url, ADMIN);
    db = await testDb();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
  });

  it('names users and tokens by their current names, and a revoked token by the name it had', async () => {
    const user = await admin.post('/api/v1/users', { name: `aud-${RUN}`, role: 'member' });
    expect(user.status).toBe(201);
    const [created] = await entries(`resourceType=user&resourceId=${user.body.id}`);
    expect(created).toMatchObject({ action: 'user.create', resourceName: `aud-${RUN}` });

    const token = await admin.post('/api/v1/tokens', { name: `aud-token-${RUN}` });
    expect(token.status).toBe(201);
    expect((await admin.delete(`/api/v1/tokens/${token.body.id}`)).status).toBe(204);
    const tokenEntries = await entries(`resourceType=api-token&resourceId=${token.body.id}`);
    expect(tokenEntries.map((e) => [e.action, e.resourceName])).toEqual([
      ['token.revoke', `aud-token-${RUN}`],
      ['token.create', `aud-token-${RUN}`],
    ]);
  });

  it('does not name a target of another tenant, even when an entry points at its id', async () => {
    const other = `aud-b-${RUN}`;
    expect((await admin.post('/api/v1/tenants', { name: other })).status).toBe(201);
    const stranger = await admin.post('/api/v1/users', {
      name: `hidden-${RUN}`,
      role: 'member',
      tenant: other,
    });
    expect(stranger.status).toBe(201);
    const own = await db.query(`SELECT id FROM tenants WHERE name = 'default'`);
    // an entry of the default tenant about the other tenant's user (as no API writes it)
    await db.query(
      `INSERT INTO audit_log (tenant_id, actor_name, action, resource_type, resource_id)
       VALUES ($1, 'system', 'user.probe', 'user', $2)`,
      [own.rows[0].id, stranger.body.id],
    );
    const found = await entries(`resourceType=user&resourceId=${stranger.body.id}`);
    const probe = found.find((e) => e.action === 'user.probe');
    expect(probe).toMatchObject({ tenantId: own.rows[0].id, resourceName: null });
    // the other tenant's own entry names its user
    expect(found.find((e) => e.action === 'user.create')).toMatchObject({ resourceName: `hidden-${RUN}` });
  });
});
