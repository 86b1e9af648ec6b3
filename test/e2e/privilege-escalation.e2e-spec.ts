import pg from 'pg';
import { Client, type Reply } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);
const RANK = { member: 1, operator: 2, admin: 3 } as const;
type Role = keyof typeof RANK;
const ROLES: Role[] = ['member', 'operator', 'admin'];
const above = (r: Role): Role | undefined => ROLES[ROLES.indexOf(r) + 1];

interface User {
  id: string;
  name: string;
  role: Role;
  tenant: string;
}

/**
 * The rule: no principal obtains, directly or through a chain of steps, a credential or session
 * above its own role, nor changes, revokes or acts as a user above it. Against the real API
 * process and Postgres, for every pair of roles, in the caller's tenant and in another.
 */
describe('privilege escalation: no one climbs above their role', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let anon: Client;
  let db: pg.Client;
  const tenant = `esc-${RUN}`;
  const otherTenant = `esc-b-${RUN}`;
  let n = 0;

  const makeUser = async (key: string, role: Role, t = tenant, password?: string): Promise<User> => {
    const name = `${key}-${++n}`;
    const res = await admin.post('/api/v1/users', {
      name,
      role,
      tenant: t,
      ...(password ? { password } : {}),
    });
    expect(res.status).toBe(201);
    return { id: res.body.id, name, role, tenant: t };
  };
  /** A token made by the admin for `user` (so it speaks for the user). */
  const adminToken = async (user: User, role?: Role) => {
    const res = await admin.post('/api/v1/tokens', { name: `for-${user.name}`, userId: user.id, role });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, token: res.body.token as string, client: anon.as(res.body.token) };
  };
  const signIn = (user: User, password: string) =>
    anon.post('/api/v1/sessions', { tenant: user.tenant, user: user.name, password });
  const stored = async (id: string) =>
    (
      await db.query(
        'SELECT role, password_hash IS NOT NULL AS has_password, email FROM users WHERE id = $1',
        [id],
      )
    ).rows[0] as { role: Role; has_password: boolean; email: string | null };

  // a database of its own: the matrix makes about a hundred users and tokens, which an admin sees
  // in every tenant (the browser tests walk those lists by keyboard in the shared database)
  let database: Awaited<ReturnType<typeof migratedDatabase>> | undefined;

  beforeAll(async () => {
    database = await migratedDatabase(testEnv().DATABASE_URL, 'escalation');
    api = await startApi(
      await stackEnv({ DATABASE_URL: database.url, SIGN_IN_PER_ADDRESS_PER_MINUTE: '10000' }),
    );
    admin = new Client(api.url, ADMIN);
    anon = admin.as(undefined);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    for (const name of [tenant, otherTenant]) {
      expect((await admin.post('/api/v1/tenants', { name })).status).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await api?.stop();
    await database?.drop();
  });

  it('the reported chain: an operator cannot mint a token for its admin, set its first password or sign in as it', async () => {
    const boss = await makeUser('boss', 'admin');
    const olga = (await adminToken(await makeUser('olga', 'operator'))).client;
    const bossToken = await adminToken(boss);

    // step 1 of the report: a token owned by boss, even one narrowed to the operator role
    for (const role of [undefined, 'operator', 'member'] as const) {
      const res = await olga.post('/api/v1/tokens', { name: 'boss-token', userId: boss.id, role });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('An operator cannot make a token for a user with the admin role');
    }
    // nor boss's password directly, nor anything else of boss's
    const password = 'operator-chosen-password-1';
    expect((await olga.patch(`/api/v1/users/${boss.id}`, { password })).status).toBe(403);
    expect((await olga.patch(`/api/v1/users/${boss.id}`, { email: 'olga@example.com' })).status).toBe(403);
    expect((await olga.patch(`/api/v1/users/${boss.id}`, { role: 'member' })).status).toBe(403);
    // "the same operator could revoke an admin's tokens"
    expect((await olga.delete(`/api/v1/tokens/${bossToken.id}`)).status).toBe(403);
    expect((await bossToken.client.get('/api/v1/me')).body.role).toBe('admin');

    // the end of the chain is out of reach: no password was set, no session comes out
    expect((await signIn(boss, password)).status).toBe(401);
    expect(await stored(boss.id)).toMatchObject({ role: 'admin', has_password: false, email: null });
    const audit = await admin.get(`/api/v1/audit-log?resourceType=user&resourceId=${boss.id}&limit=500`);
    // created, one refused sign-in: nothing changed it
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'session.refuse',
      'user.create',
    ]);
  });

  it('the bootstrap admin without a password cannot be taken over by an operator of tenant default', async () => {
    const me = (await admin.get('/api/v1/me')).body as { user: { id: string }; tokenId: string };
    const opd = (await adminToken(await makeUser('opd', 'operator', 'default'))).client;
    expect(
      (await opd.post('/api/v1/tokens', { name: 'x', userId: me.user.id, role: 'operator' })).status,
    ).toBe(403);
    expect((await opd.patch(`/api/v1/users/${me.user.id}`, { password: 'taken-over-password' })).status).toBe(
      403,
    );
    expect((await opd.delete(`/api/v1/tokens/${me.tokenId}`)).status).toBe(403);
    expect((await admin.get('/api/v1/me')).status).toBe(200);
    expect(
      (
        await anon.post('/api/v1/sessions', {
          tenant: 'default',
          user: 'admin',
          password: 'taken-over-password',
        })
      ).status,
    ).toBe(401);
  });

  // every act on another user, for each pair of roles, in the caller's tenant and in another
  const ACTS = ['token', 'password', 'email', 'role-up', 'revoke'] as const;
  type Act = (typeof ACTS)[number];
  const SUCCESS: Record<Act, number> = { token: 201, password: 200, email: 200, 'role-up': 200, revoke: 204 };

  /** What the rule says: the status the act must get. */
  const expected = (caller: Role, target: Role, act: Act, sameTenant: boolean): number => {
    const patch = act !== 'token' && act !== 'revoke';
    if (patch && caller === 'member') return 403; // PATCH /users needs an operator at all
    if (!sameTenant && caller !== 'admin') return 404;
    if (caller === 'member') return 403;
    if (RANK[target] > RANK[caller]) return 403;
    if (act === 'role-up' && RANK[above(target)!] > RANK[caller]) return 403;
    return SUCCESS[act];
  };

  const cases: [Role, Role, Act, boolean][] = [];
  for (const caller of ROLES)
    for (const target of ROLES)
      for (const act of ACTS)
        for (const same of [true, false])
          if (!(act === 'role-up' && target === 'admin')) cases.push([caller, target, act, same]);

  it(`every act on another user follows the rule, for each pair of roles and tenant (${cases.length} cases)`, async () => {
    // the admin caller is the bootstrap admin (admins are global); the others live in `tenant`
    const callers: Record<Role, Client> = {
      member: (await adminToken(await makeUser('m-caller', 'member'))).client,
      operator: (await adminToken(await makeUser('o-caller', 'operator'))).client,
      admin,
    };
    const seen: string[] = [];
    for (const [caller, targetRole, act, same] of cases) {
      const target = await makeUser(`t-${targetRole}`, targetRole, same ? tenant : otherTenant);
      const targetToken = await adminToken(target);
      const client = callers[caller];
      const password = `chosen-by-${caller}-${n}-pw`;
      let res: Reply;
      if (act === 'token') res = await client.post('/api/v1/tokens', { name: 'act-as', userId: target.id });
      else if (act === 'revoke') res = await client.delete(`/api/v1/tokens/${targetToken.id}`);
      else if (act === 'password') res = await client.patch(`/api/v1/users/${target.id}`, { password });
      else if (act === 'email')
        res = await client.patch(`/api/v1/users/${target.id}`, { email: 'new@example.com' });
      else res = await client.patch(`/api/v1/users/${target.id}`, { role: above(targetRole) });
      const want = expected(caller, targetRole, act, same);
      seen.push(`${caller}→${targetRole}${same ? '' : ' (other tenant)'} ${act}: ${res.status}`);
      expect(`${caller}→${targetRole}${same ? '' : ' (other tenant)'} ${act}: ${res.status}`).toBe(
        `${caller}→${targetRole}${same ? '' : ' (other tenant)'} ${act}: ${want}`,
      );

      // what a refusal leaves, and what a success gives: never more than the caller's role
      const after = await stored(target.id);
      const live = (await targetToken.client.get('/api/v1/me')).status;
      if (want >= 400) {
        expect(after).toEqual({ role: targetRole, has_password: false, email: null });
        expect(live).toBe(200);
        if (act === 'password') expect((await signIn(target, password)).status).toBe(401);
      } else if (act === 'token') {
        const me = await anon.as(res.body.token).get('/api/v1/me');
        expect(me.body).toMatchObject({ user: { id: target.id }, role: targetRole });
        expect(RANK[me.body.role as Role]).toBeLessThanOrEqual(RANK[caller]);
      } else if (act === 'password') {
        const session = await signIn(target, password);
        expect(session.status).toBe(201);
        expect(RANK[session.body.role as Role]).toBeLessThanOrEqual(RANK[caller]);
      } else if (act === 'revoke') {
        expect(live).toBe(401);
      } else if (act === 'role-up') {
        expect(RANK[after.role]).toBeLessThanOrEqual(RANK[caller]);
      }
    }
    expect(seen).toHaveLength(cases.length);
  }, 180_000);

  it('a narrowed token cannot reach back to its own higher user: no password, no token, no revoking', async () => {
    for (const [userRole, tokenRole] of [
      ['admin', 'operator'],
      ['admin', 'member'],
      ['operator', 'member'],
    ] as const) {
      const user = await makeUser(`narrow-${userRole}`, userRole);
      const full = await adminToken(user);
      const narrow = await adminToken(user, tokenRole);
      const c = narrow.client;
      expect((await c.get('/api/v1/me')).body.role).toBe(tokenRole);
      const pw = await c.post('/api/v1/me/password', { newPassword: 'narrowed-token-password' });
      expect(pw.status).toBe(403);
      expect(pw.body.message).toMatch(new RegExp(`cannot set the password of its own ${userRole} user`));
      expect((await c.post('/api/v1/tokens', { name: 'wider' })).status).toBe(403);
      expect((await c.post('/api/v1/tokens', { name: 'same', role: tokenRole })).status).toBe(403);
      expect((await c.delete(`/api/v1/tokens/${full.id}`)).status).toBe(403);
      expect((await full.client.get('/api/v1/me')).status).toBe(200);
      expect(await stored(user.id)).toMatchObject({ role: userRole, has_password: false });
      // signing itself out is always allowed
      expect((await c.delete('/api/v1/sessions/current')).status).toBe(204);
      expect((await c.get('/api/v1/me')).status).toBe(401);
    }
  });

  it('a first password needs a token that speaks for the user: not one someone else (not an admin) made', async () => {
    const oscar = (await adminToken(await makeUser('oscar', 'operator'))).client;
    const mara = await makeUser('mara', 'member');
    const made = await oscar.post('/api/v1/tokens', { name: 'for-mara', userId: mara.id });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ delegated: true, role: 'member' });
    const viaOscar = anon.as(made.body.token);
    const refused = await viaOscar.post('/api/v1/me/password', { newPassword: 'set-through-oscar-1' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/made for you by someone else/);
    expect(
      (
        await viaOscar.post('/api/v1/me/password', {
          currentPassword: '',
          newPassword: 'set-through-oscar-1',
        })
      ).status,
    ).toBe(403);
    // a token made from that one is delegated too: no laundering through a second step
    const second = await viaOscar.post('/api/v1/tokens', { name: 'mara-again' });
    expect(second.body.delegated).toBe(true);
    expect(
      (await anon.as(second.body.token).post('/api/v1/me/password', { newPassword: 'set-through-oscar-1' }))
        .status,
    ).toBe(403);
    expect(await stored(mara.id)).toMatchObject({ has_password: false });
    expect((await signIn(mara, 'set-through-oscar-1')).status).toBe(401);
    const refusals = await admin.get(`/api/v1/audit-log?resourceType=user&resourceId=${mara.id}&limit=500`);
    expect(refusals.body.items.map((e: { action: string }) => e.action)).toContain('user.password.refuse');

    // a token from an admin, or one the user made from it, speaks for the user
    const fromAdmin = await adminToken(mara);
    const own = await fromAdmin.client.post('/api/v1/tokens', { name: 'maras-own' });
    expect(own.body.delegated).toBe(false);
    expect(
      (await anon.as(own.body.token).post('/api/v1/me/password', { newPassword: 'maras-own-password-1' }))
        .status,
    ).toBe(204);
    expect((await signIn(mara, 'maras-own-password-1')).status).toBe(201);
    // and the operator's way stays open, in the open: it sets the password itself
    const nina = await makeUser('nina', 'member');
    expect((await oscar.patch(`/api/v1/users/${nina.id}`, { password: 'set-by-oscar-pw-1' })).status).toBe(
      200,
    );
    expect((await signIn(nina, 'set-by-oscar-pw-1')).body.role).toBe('member');
  });

  it('no new user, role or token above the caller’s, and no one changes its own role', async () => {
    const olive = await makeUser('olive', 'operator');
    const op = (await adminToken(olive)).client;
    expect((await op.post('/api/v1/users', { name: `adm-${RUN}`, role: 'admin' })).status).toBe(403);
    expect(
      (await op.post('/api/v1/users', { name: `x-${RUN}`, role: 'member', tenant: otherTenant })).status,
    ).toBe(403);
    const peer = await makeUser('peer', 'operator');
    expect((await op.post('/api/v1/tokens', { name: 'x', userId: peer.id, role: 'admin' })).status).toBe(403);
    expect((await op.post('/api/v1/tokens', { name: 'x', role: 'admin' })).status).toBe(403);
    expect((await op.patch(`/api/v1/users/${olive.id}`, { role: 'admin' })).status).toBe(403);
    const member = await makeUser('mem', 'member');
    const m = (await adminToken(member)).client;
    expect((await m.post('/api/v1/tokens', { name: 'x', role: 'operator' })).status).toBe(403);
    expect((await m.patch(`/api/v1/users/${member.id}`, { role: 'operator' })).status).toBe(403);
    expect((await m.post('/api/v1/users', { name: `y-${RUN}`, role: 'member' })).status).toBe(403);
    expect(await stored(member.id)).toMatchObject({ role: 'member' });
    expect(await stored(olive.id)).toMatchObject({ role: 'operator' });
  });

  it('documents the rule on the routes it guards', async () => {
    const doc = (await anon.get('/api/openapi.json')).body;
    expect(doc.paths['/api/v1/tokens'].post.responses['403'].description).toMatch(/above the calling token/);
    expect(doc.paths['/api/v1/tokens/{id}'].delete.responses['403'].description).toMatch(
      /above the calling token/,
    );
    expect(doc.paths['/api/v1/me/password'].post.responses['403'].description).toMatch(/first password/);
    expect(doc.paths['/api/v1/users/{id}'].patch.responses['403'].description).toMatch(
      /above the calling token/,
    );
  });
});
