import type pg from 'pg';
import { noticeListenerOf, testDb } from '../support/db.js';
import { Client, eventually } from '../support/http.js';
import { freePort, stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

// Two API processes keep who a token is in memory, for a minute here (PRINCIPAL_CACHE_MS): every
// change below must still reach both at once, through Postgres's notices, or the test waits far
// less than that minute and fails.
describe('who a token is, held in memory by every API process', () => {
  const apis: (Proc & { url: string })[] = [];
  let admin: Client;
  let db: pg.Client;
  const tenant = `pcache-${RUN}`;
  let userId: string;

  const listenerOf = (api: Proc) => noticeListenerOf(db, api);
  const newToken = async () => {
    const res = await admin.post('/api/v1/tokens', { name: `t-${Math.random()}`, userId });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, token: res.body.token as string };
  };
  /** The token's /me on every API process, twice (the second answer comes from memory). */
  const meEverywhere = async (token: string) => {
    const answers: { status: number; role?: string }[] = [];
    for (const api of apis) {
      for (let i = 0; i < 2; i++) {
        const res = await new Client(api.url, token).get('/api/v1/me');
        answers.push({ status: res.status, role: res.body?.role });
      }
    }
    return answers;
  };
  const refusedEverywhere = (token: string) =>
    eventually(
      async () => (await meEverywhere(token)).every((a) => a.status === 401),
      5_000,
      'every API process to refuse the token',
    );

  beforeAll(async () => {
    const env = await stackEnv({ PRINCIPAL_CACHE_MS: '60000' });
    apis.push(await startApi(env));
    apis.push(await startApi({ ...env, PORT: String(await freePort()) }));
    admin = new Client(apis[0]!.url, ADMIN);
    db = await testDb();
    expect((await admin.post('/api/v1/tenants', { name: tenant })).status).toBe(201);
    const user = await admin.post('/api/v1/users', { name: 'olga', role: 'operator', tenant });
    expect(user.status).toBe(201);
    userId = user.body.id;
    for (const api of apis) await eventually(() => listenerOf(api), 15_000, 'the change-notice listener');
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    for (const api of apis) await api.stop();
  });

  it('a token revoked through one process is refused by both', async () => {
    const { id, token } = await newToken();
    expect((await meEverywhere(token)).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect((await admin.delete(`/api/v1/tokens/${id}`)).status).toBe(204);
    // the process that revoked it, at once
    expect((await new Client(apis[0]!.url, token).get('/api/v1/me')).status).toBe(401);
    await refusedEverywhere(token);
  });

  it('a change made in the database directly reaches both (revoked, re-roled)', async () => {
    const revoked = await newToken();
    const lowered = await newToken();
    expect((await meEverywhere(revoked.token)).every((a) => a.status === 200)).toBe(true);
    expect((await meEverywhere(lowered.token)).every((a) => a.role === 'operator')).toBe(true);

    await db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [revoked.id]);
    await refusedEverywhere(revoked.token);

    await db.query(`UPDATE api_tokens SET role = 'member' WHERE id = $1`, [lowered.id]);
    await eventually(
      async () => (await meEverywhere(lowered.token)).every((a) => a.role === 'member'),
      5_000,
      'the lower role everywhere',
    );
  });

  it('while a process cannot hear the notices it answers from the database, and hears them again', async () => {
    const { id, token } = await newToken();
    expect((await meEverywhere(token)).every((a) => a.status === 200)).toBe(true);
    const second = apis[1]!;
    const listener = (await listenerOf(second))!;
    await db.query('SELECT pg_terminate_backend($1)', [listener.pid]);
    // revoked with nobody listening on that process's side: it must not answer from memory
    await db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [id]);
    expect((await new Client(second.url, token).get('/api/v1/me')).status).toBe(401);
    const back = await eventually(
      async () => {
        const l = await listenerOf(second);
        return l && l.pid !== listener.pid ? l : undefined;
      },
      15_000,
      'the listener to reconnect',
    );
    expect(back.pid).not.toBe(listener.pid);
    // and notices work again
    const later = await newToken();
    expect((await meEverywhere(later.token)).every((a) => a.status === 200)).toBe(true);
    await db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [later.id]);
    await refusedEverywhere(later.token);
  });
});
