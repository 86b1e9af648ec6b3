import { createHash, scryptSync } from 'node:crypto';

import { Redis } from 'ioredis';
import type pg from 'pg';
import { testDb } from '../support/db.js';
import { Client, type Reply } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { runSyd } from '../support/syd.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const REFUSED = 'The tenant, user name or password is wrong';

/** Runs the built `syd` with `input` on its standard input. */
const syd = (args: string[], env: Record<string, string>, input: string) => runSyd(args, env, input);

const paths = (res: Reply) =>
  [...new Set((res.body.details as { path: string }[]).map((d) => d.path))].sort();

describe('sign-in with a user account: passwords, sessions, lockout, sign-out', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let anon: Client;
  let db: pg.Client;
  let redis: Redis;
  let prefix: string;
  // where the API counts a user name's failed sign-ins (per address) in Redis
  const failuresKey = (user: string) => `${prefix}:sign-in-failures:${tenant}/${user}`;
  const run = Date.now().toString(36);
  const tenant = `signin-${run}`;
  // every password used here, to look for in the log and the audit log at the end
  const secrets: string[] = [];
  const pw = (label: string) => {
    const value = `${label}-pw-${run}-Zq9!x`;
    secrets.push(value);
    return value;
  };
  // tenant null: sent without one
  const signIn = (user: string, password: string, t: string | null = tenant) =>
    anon.post('/api/v1/sessions', { ...(t === null ? {} : { tenant: t }), user, password });
  const createUser = async (name: string, role: string, password?: string) => {
    const res = await admin.post('/api/v1/users', { name, role, tenant, ...(password ? { password } : {}) });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; hasPassword: boolean };
  };

  beforeAll(async () => {
    // the most verbose log, to show that no password reaches it even there
    // the per-address limit is tested on its own below: this file signs in often from one address
    const env = await stackEnv({
      LOG_LEVEL: 'trace',
      SESSION_TTL_HOURS: '2',
      SIGN_IN_PER_ADDRESS_PER_MINUTE: '10000',
    });
    prefix = env.QUEUE_PREFIX!;
    api = await startApi(env);
    redis = new Redis(testEnv().REDIS_URL);
    admin = new Client(api.url, ADMIN);
    anon = admin.as(undefined);
    db = await testDb();
    expect((await admin.post('/api/v1/tenants', { name: tenant })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await db?.end();
    await api?.stop();
  });

  it('creates a user with a password: never in the answer nor the audit log, stored as salted scrypt', async () => {
    const password = pw('alice');
    const res = await admin.post('/api/v1/users', { name: 'alice', role: 'operator', tenant, password });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'alice', role: 'operator', tenant, hasPassword: true });
    expect(res.body).not.toHaveProperty('password');
    expect(res.text).not.toContain(password);

    const { rows } = await db.query('SELECT * FROM users WHERE id = $1', [res.body.id]);
    const hash: string = rows[0].password_hash;
    expect(JSON.stringify(rows[0])).not.toContain(password);
    const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
    expect(m).not.toBeNull();
    const [ln, r, p] = [Number(m![1]), Number(m![2]), Number(m![3])];
    const salt = Buffer.from(m![4]!, 'base64');
    expect(salt).toHaveLength(16);
    // it is scrypt of this password with that salt and those parameters, nothing else
    const key = scryptSync(password, salt, 32, { N: 2 ** ln, r, p, maxmem: 256 * 2 ** ln * r });
    expect(key.equals(Buffer.from(m![5]!, 'base64'))).toBe(true);

    const audit = await admin.get(`/api/v1/audit-log?resourceType=user&resourceId=${res.body.id}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'user.create',
        after: expect.objectContaining({ hasPassword: true }),
      }),
    ]);
    expect(audit.text).not.toContain(password);
    expect(audit.text).not.toContain(hash.split('$').pop());
    const list = await admin.get('/api/v1/users?limit=500');
    expect(list.text).not.toContain(password);
    expect(list.text).not.toContain('scrypt');

    const weak = await admin.post('/api/v1/users', {
      name: 'weak',
      role: 'member',
      tenant,
      password: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.details).toEqual([{ path: 'password', message: 'must be 12 to 256 characters' }]);
    expect(weak.text).not.toContain('short"');
  });

  it('signs in with the right password: a session token of the user’s role and tenant, stored hashed', async () => {
    const before = Date.now();
    const res = await signIn('alice', secrets[0]!);
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({
      token: expect.stringMatching(/^syd_[A-Za-z0-9_-]{43}$/),
      user: { name: 'alice' },
      tenant: { name: tenant },
      role: 'operator',
    });
    expect(res.headers.get('location')).toBe(`/api/v1/tokens/${res.body.tokenId}`);
    // SESSION_TTL_HOURS=2
    const ttl = Date.parse(res.body.expiresAt) - before;
    expect(ttl).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(ttl).toBeLessThan(2 * 3_600_000 + 60_000);

    const me = await anon.as(res.body.token).get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { name: 'alice' }, tenant: { name: tenant }, role: 'operator' });

    const { rows } = await db.query('SELECT * FROM api_tokens WHERE id = $1', [res.body.tokenId]);
    expect(rows[0]).toMatchObject({ kind: 'session', name: 'web session', role: 'operator' });
    expect(rows[0].token_hash).toBe(createHash('sha256').update(res.body.token).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(res.body.token);

    const audit = await admin.get(`/api/v1/audit-log?resourceType=api-token&resourceId=${res.body.tokenId}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'session.create',
        actor: { userId: res.body.user.id, tokenId: res.body.tokenId, name: 'alice' },
        after: expect.objectContaining({ kind: 'session', role: 'operator', ip: expect.any(String) }),
      }),
    ]);
    expect(audit.text).not.toContain(secrets[0]);
    expect(audit.text).not.toContain(res.body.token);

    // no tenant: the default one
    const name = `dora-${run}`;
    const password = pw('dora');
    expect(
      (await admin.post('/api/v1/users', { name, role: 'member', tenant: 'default', password })).status,
    ).toBe(201);
    const dflt = await signIn(name, password, null);
    expect(dflt.status).toBe(201);
    expect(dflt.body).toMatchObject({ tenant: { name: 'default' }, role: 'member' });
  });

  it('re-hashes a password stored with weaker parameters than today’s at its next sign-in', async () => {
    const password = pw('olga');
    const olga = await createUser('olga', 'member', password);
    // as an older Switchyard would have stored it: N=2^10, r=8, p=1
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
    const weak = `$scrypt$ln=10,r=8,p=1$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
    await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [olga.id, weak]);
    expect((await signIn('olga', password)).status).toBe(201);
    const { rows } = await db.query('SELECT password_hash FROM users WHERE id = $1', [olga.id]);
    expect(rows[0].password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$/);
    expect((await signIn('olga', password)).status).toBe(201);
  });

  it('answers a wrong password, an unknown user, a wrong tenant and a user without password alike', async () => {
    const carol = await createUser('carol', 'member', pw('carol'));
    await createUser('nopass', 'member');
    const wrong = await signIn('carol', 'not-carols-password');
    const unknown = await signIn('nobody', 'not-carols-password');
    const otherTenant = await signIn('carol', secrets.at(-1)!, 'default');
    const noTenant = await signIn('carol', secrets.at(-1)!, `nothing-${run}`);
    const passwordless = await signIn('nopass', 'not-carols-password');
    for (const res of [wrong, unknown, otherTenant, noTenant, passwordless]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: REFUSED, details: [] });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }

    // and in about the time a wrong password takes: a hash is computed either way (median of 3,
    // the three users taken in turns so that a busy moment of a shared machine falls on all alike)
    const users = ['carol', `ghost-${run}`, 'nopass'];
    const took: number[][] = users.map(() => []);
    for (let round = 0; round < 3; round++) {
      for (const [i, user] of users.entries()) {
        const start = performance.now();
        expect((await signIn(user, 'timing-guess-000')).status).toBe(401);
        took[i]!.push(performance.now() - start);
      }
    }
    const [tWrong, tUnknown, tNoPass] = took.map((t) => t.sort((a, b) => a - b)[1]!) as [
      number,
      number,
      number,
    ];
    expect(tUnknown).toBeGreaterThan(tWrong * 0.5);
    expect(tNoPass).toBeGreaterThan(tWrong * 0.5);
    // carol's failures in a row from this address: 1 + 3 (the lock starts at 5)
    expect(await redis.hget(failuresKey('carol'), 'a:127.0.0.1')).toBe('4');

    // refusals are audited in the tenant (why, from where), never with what was typed
    const audit = await admin.get(`/api/v1/audit-log?resourceType=user&resourceId=${carol.id}&limit=500`);
    const refusals = audit.body.items.filter((e: { action: string }) => e.action === 'session.refuse');
    expect(refusals.length).toBe(4);
    expect(refusals[0]).toMatchObject({
      actor: { userId: null, tokenId: null, name: 'anonymous' },
      after: { reason: 'wrong password', ip: expect.any(String) },
    });
    expect(audit.text).not.toContain('not-carols-password');
    const ghost = await admin.get(`/api/v1/audit-log?resourceType=user&resourceId=nobody`);
    expect(ghost.body.items[0]).toMatchObject({
      action: 'session.refuse',
      after: { reason: 'unknown user' },
    });
  });

  it('locks a user’s sign-in from one address after 5 failures in a row, for a growing time, in every API process', async () => {
    const password = pw('dave');
    const dave = await createUser('dave', 'member', password);
    // from an address of its own (the API trusts X-Forwarded-For from loopback)
    const from = { 'x-forwarded-for': '198.51.100.7' };
    const daveIn = (pass: string) =>
      anon.post('/api/v1/sessions', { tenant, user: 'dave', password: pass }, from);
    for (let i = 1; i <= 5; i++) expect((await daveIn(`wrong-guess-${i}`)).status).toBe(401);
    // even the right password is refused while locked
    const locked = await daveIn(password);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(locked.body.message).toMatch(/^Too many failed sign-ins: try again in \d+ seconds$/);
    const wait = Number(locked.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(25);
    expect(wait).toBeLessThanOrEqual(30);
    const key = failuresKey('dave');
    expect(await redis.hget(key, 'a:198.51.100.7')).toBe('5');
    // another address is not locked out: the lock is no tool to keep dave away
    expect((await signIn('dave', password)).status).toBe(201);

    // the lock is in Redis: another API process (same prefix) refuses too
    const other = await startApi({ ...(await stackEnv()), QUEUE_PREFIX: prefix });
    try {
      const there = await new Client(other.url).post(
        '/api/v1/sessions',
        { tenant, user: 'dave', password },
        from,
      );
      expect(there.status).toBe(429);
      expect(Number(there.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await other.stop();
    }

    // the lock runs out (moved into the past rather than waited for); one more failure locks
    // for twice as long
    const expire = () => redis.hset(key, 'l:198.51.100.7', String(Date.now() - 1000));
    await expire();
    expect((await daveIn('wrong-guess-6')).status).toBe(401);
    const longer = await daveIn(password);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get('retry-after'))).toBeGreaterThan(30);
    expect(Number(longer.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await redis.hget(key, 'a:198.51.100.7')).toBe('6');

    // once it has passed, the right password gets in and the count starts again
    await expire();
    expect((await daveIn(password)).status).toBe(201);
    expect(await redis.hget(key, 'a:198.51.100.7')).toBeNull();
    const audit = await admin.get(`/api/v1/audit-log?resourceType=user&resourceId=${dave.id}&limit=500`);
    expect(audit.body.items.map((e: { after: { reason?: string } }) => e.after?.reason)).toContain('locked');
  }, 120_000);

  it('limits sign-ins per client address per minute, counted across API processes', async () => {
    const env = await stackEnv({ SIGN_IN_PER_ADDRESS_PER_MINUTE: '3' });
    // a second process on its own port, sharing the first one's Redis keys
    const env2 = {
      ...(await stackEnv()),
      QUEUE_PREFIX: env.QUEUE_PREFIX!,
      SIGN_IN_PER_ADDRESS_PER_MINUTE: '3',
    };
    const [one, two] = await Promise.all([startApi(env), startApi(env2)]);
    try {
      const at = (p: Proc & { url: string }) => (user: string) =>
        new Client(p.url).post('/api/v1/sessions', { tenant, user, password: 'not-the-password-1' });
      // the limit is per minute of the clock: start at the top of a fresh one if this one is ending
      const second = new Date().getSeconds();
      if (second > 50) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
      expect((await at(one)('nobody-1')).status).toBe(401);
      expect((await at(two)('nobody-2')).status).toBe(401);
      expect((await at(one)('nobody-3')).status).toBe(401);
      // the fourth, whichever process gets it, waits for the next minute
      const over = await at(two)('nobody-4');
      expect(over.status).toBe(429);
      expect(over.body.message).toMatch(/^Too many sign-ins from this address: try again in \d+ seconds?$/);
      const wait = Number(over.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  }, 120_000);

  it('changes one’s own password: the current one is required and checked, other sessions end', async () => {
    const old = secrets[0]!;
    const s1 = anon.as((await signIn('alice', old)).body.token);
    const s2 = anon.as((await signIn('alice', old)).body.token);
    const next = pw('alice-next');

    const missing = await s1.post('/api/v1/me/password', { newPassword: next });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([
      { path: 'currentPassword', message: 'is required: you have a password' },
    ]);
    const wrong = await s1.post('/api/v1/me/password', {
      currentPassword: 'not-it-at-all',
      newPassword: next,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([
      { path: 'currentPassword', message: 'is not your current password' },
    ]);
    const bad = await s1.post('/api/v1/me/password', { currentPassword: 5, newPassword: 'short', extra: 1 });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['currentPassword', 'extra', 'newPassword']);

    const changed = await s1.post('/api/v1/me/password', { currentPassword: old, newPassword: next });
    expect(changed.status).toBe(204);
    expect((await s1.get('/api/v1/me')).status).toBe(200);
    expect((await s2.get('/api/v1/me')).status).toBe(401);
    expect((await signIn('alice', old)).status).toBe(401);
    expect((await signIn('alice', next)).status).toBe(201);
    const me = (await s1.get('/api/v1/me')).body;
    const audit = await admin.get(`/api/v1/audit-log?resourceType=user&resourceId=${me.user.id}&limit=500`);
    expect(
      audit.body.items.find((e: { action: string }) => e.action === 'user.password.change'),
    ).toMatchObject({
      after: { passwordChanged: true, sessionsRevoked: expect.any(Number) },
    });
    expect(audit.text).not.toContain(old);
    expect(audit.text).not.toContain(next);

    // a user without a password sets a first one with its token alone
    const erin = await createUser('erin', 'member');
    const token = (await admin.post('/api/v1/tokens', { name: 'erin-t', userId: erin.id })).body.token;
    const first = pw('erin');
    expect((await anon.as(token).post('/api/v1/me/password', { newPassword: first })).status).toBe(204);
    expect((await signIn('erin', first)).status).toBe(201);
  });

  it('PATCH /users/{id}: operators set passwords and roles in their tenant, never above their own', async () => {
    const alice = anon.as(
      (
        await signIn(
          'alice',
          secrets.find((s) => s.startsWith('alice-next'))!,
        )
      ).body.token,
    );
    const frank = await createUser('frank', 'operator');
    const gina = await createUser('gina', 'admin');
    const frankToken = (await admin.post('/api/v1/tokens', { name: 'frank-t', userId: frank.id })).body.token;
    const password = pw('frank');

    const set = await alice.patch(`/api/v1/users/${frank.id}`, { password, email: 'frank@example.com' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ name: 'frank', hasPassword: true, email: 'frank@example.com' });
    expect(set.text).not.toContain(password);
    const session = (await signIn('frank', password)).body.token;
    expect((await anon.as(session).get('/api/v1/me')).body.role).toBe('operator');

    // not an admin, not above the caller, not oneself
    expect((await alice.patch(`/api/v1/users/${gina.id}`, { password: pw('gina') })).status).toBe(403);
    expect((await alice.patch(`/api/v1/users/${frank.id}`, { role: 'admin' })).status).toBe(403);
    const me = (await alice.get('/api/v1/me')).body;
    const self = await alice.patch(`/api/v1/users/${me.user.id}`, { password: pw('self') });
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/POST \/api\/v1\/me\/password/);
    expect((await alice.patch(`/api/v1/users/${me.user.id}`, { role: 'member' })).status).toBe(403);
    // another tenant's user is not there at all
    const adminUser = (await admin.get('/api/v1/me')).body.user.id;
    expect((await alice.patch(`/api/v1/users/${adminUser}`, { email: null })).status).toBe(404);
    // members change no one
    const member = anon.as((await admin.post('/api/v1/tokens', { name: 'm', role: 'member' })).body.token);
    expect((await member.patch(`/api/v1/users/${frank.id}`, { email: null })).status).toBe(403);

    // a lower role: frank's tokens that carried more now carry the new role; a new password
    // ends frank's sessions but not his API tokens
    const lowered = await admin.patch(`/api/v1/users/${frank.id}`, {
      role: 'member',
      password: pw('frank-2'),
      email: null,
    });
    expect(lowered.status).toBe(200);
    expect(lowered.body).toMatchObject({ role: 'member', email: null, hasPassword: true });
    expect((await anon.as(frankToken).get('/api/v1/me')).body.role).toBe('member');
    expect((await anon.as(session).get('/api/v1/me')).status).toBe(401);
    const audit = await admin.get(`/api/v1/audit-log?resourceType=user&resourceId=${frank.id}&limit=500`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'user.update',
      before: { role: 'operator', email: 'frank@example.com' },
      after: { role: 'member', email: null, passwordChanged: true, sessionsRevoked: 1, tokensLowered: 1 },
    });
    expect(audit.text).not.toContain(password);

    const bad = await admin.patch(`/api/v1/users/${frank.id}`, {
      role: 'god',
      password: 'short',
      email: 'nope',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['email', 'extra', 'password', 'role']);
    const nulls = await admin.patch(`/api/v1/users/${frank.id}`, { role: null, password: null });
    expect(paths(nulls)).toEqual(['password', 'role']);
    expect((await admin.patch('/api/v1/users/not-a-uuid', {})).body.details).toEqual([
      { path: 'id', message: 'must be a UUID' },
    ]);
  });

  it('signs out: DELETE /sessions/current revokes the token used; an expired token is refused', async () => {
    const password = secrets.find((s) => s.startsWith('dave'))!;
    const token = (await signIn('dave', password)).body.token;
    const dave = anon.as(token);
    expect((await dave.get('/api/v1/me')).status).toBe(200);
    expect((await dave.delete('/api/v1/sessions/current')).status).toBe(204);
    const after = await dave.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.message).toBe('The token is unknown, revoked or expired');
    expect((await anon.delete('/api/v1/sessions/current')).status).toBe(401);

    const expiring = await signIn('dave', password);
    const client = anon.as(expiring.body.token);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    await db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expiring.body.tokenId,
    ]);
    const expired = await client.get('/api/v1/me');
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('The token is unknown, revoked or expired');
  });

  it('names every bad field of a sign-in body by its path', async () => {
    const empty = await anon.post('/api/v1/sessions', {});
    expect(empty.status).toBe(400);
    expect(paths(empty)).toEqual(['password', 'user']);
    const bad = await anon.post('/api/v1/sessions', {
      tenant: 'Not A Tenant',
      user: 'Alice Smith',
      password: 12345,
      name: '',
      extra: true,
    });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['extra', 'name', 'password', 'tenant', 'user']);
    const blank = await anon.post('/api/v1/sessions', { user: 'alice', password: '' });
    expect(blank.body.details).toEqual([{ path: 'password', message: 'must not be empty' }]);
    const json = await anon.post('/api/v1/sessions', '{"user": ', { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
  });

  it('syd login --password-stdin prints a session token to export', async () => {
    const password = secrets.find((s) => s.startsWith('carol'))!;
    const env = { SWITCHYARD_URL: api.url, SWITCHYARD_TOKEN: 'syd_stale_token_in_the_environment' };
    const ok = await syd(
      ['login', '--user', 'carol', '--tenant', tenant, '--password-stdin'],
      env,
      `${password}\n`,
    );
    expect(ok.code).toBe(0);
    const token = ok.stdout.trim();
    expect(token).toMatch(/^syd_[A-Za-z0-9_-]{43}$/);
    expect(ok.stderr).toMatch(/Signed in as carol \(member\) in tenant signin-/);
    expect(ok.stderr).toMatch(/export SWITCHYARD_TOKEN=/);
    expect(ok.stdout + ok.stderr).not.toContain(password);
    const whoami = await syd(['token', 'whoami'], { ...env, SWITCHYARD_TOKEN: token }, '');
    expect(whoami.stdout.trim()).toBe(`carol (member) in tenant ${tenant}`);
    const listed = await admin.get('/api/v1/tokens?limit=500');
    expect(listed.body.items.find((t: { hint: string }) => token.startsWith(t.hint))).toMatchObject({
      name: 'cli session',
      kind: 'session',
    });

    const wrong = await syd(
      ['login', '--user', 'carol', '--tenant', tenant, '--password-stdin'],
      env,
      'nope\n',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`error: ${REFUSED} (HTTP 401)`);
  });

  it('serves the new routes in the OpenAPI document, sign-in without a token', async () => {
    const doc = (await anon.get('/api/openapi.json')).body;
    expect(doc.paths['/api/v1/sessions'].post.security ?? []).toEqual([]);
    // a token as Bearer or as Basic's user name, as on every closed route
    expect(doc.paths['/api/v1/sessions/current'].delete.security).toEqual(
      expect.arrayContaining([{ bearer: [] }, { basic: [] }]),
    );
    expect(doc.paths['/api/v1/me/password'].post).toBeDefined();
    expect(doc.paths['/api/v1/users/{id}'].patch).toBeDefined();
    expect(doc.components.schemas.CreateUserDto.properties.password).toMatchObject({ writeOnly: true });
  });

  it('never writes a password or a password hash into its log', async () => {
    await new Promise((r) => setTimeout(r, 300));
    expect(api.log).toContain('/api/v1/sessions');
    for (const secret of secrets) expect(api.log).not.toContain(secret);
    expect(api.log).not.toContain('not-carols-password');
    expect(api.log).not.toContain('$scrypt$');
    const { rows } = await db.query(
      `SELECT coalesce(before::text, '') || coalesce(after::text, '') AS text FROM audit_log`,
    );
    const all = rows.map((r: { text: string | null }) => r.text ?? '').join('\n');
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all).not.toContain('$scrypt$');
  });
});
