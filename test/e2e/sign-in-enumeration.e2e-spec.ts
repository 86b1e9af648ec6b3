import { Client, type Reply } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);

/**
 * Sign-in tells nothing about whether a user exists, by status or by time, and its lockout is
 * no tool to keep someone out: failures count per user name and client address (the API trusts
 * X-Forwarded-For from loopback, which is how this test comes from many addresses), with a
 * slower limit per user name over all addresses.
 */
describe('sign-in: no user enumeration, no lockout at will', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let anon: Client;
  const tenant = `enum-${RUN}`;
  const passwords: Record<string, string> = {};
  let address = 0;
  // a fresh documentation-range address each call
  const nextAddress = () => `203.0.113.${++address}`;

  const attempt = (user: string, password: string, from: string, t = tenant) =>
    anon.post('/api/v1/sessions', { tenant: t, user, password }, { 'x-forwarded-for': from });
  /** What a client can see of an answer, whoever was asked about. */
  const visible = (res: Reply) => ({
    status: res.status,
    // the seconds left may differ by one between two subjects asked a moment apart
    body: { ...res.body, message: String(res.body.message).replace(/\d+ seconds/, 'N seconds') },
    retryAfter: res.headers.get('retry-after') === null ? null : 'set',
  });

  beforeAll(async () => {
    api = await startApi(await stackEnv({ SIGN_IN_PER_ADDRESS_PER_MINUTE: '10000' }));
    admin = new Client(api.url, ADMIN);
    anon = admin.as(undefined);
    expect((await admin.post('/api/v1/tenants', { name: tenant })).status).toBe(201);
    for (const name of ['kate', 'kim', 'tim', 'lena']) {
      passwords[name] = `${name}-password-${RUN}`;
      const res = await admin.post('/api/v1/users', {
        name,
        role: 'member',
        tenant,
        password: passwords[name],
      });
      expect(res.status).toBe(201);
    }
    expect((await admin.post('/api/v1/users', { name: 'nopass', role: 'member', tenant })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('an unknown user, tenant or password-less user gets the very answers a known one gets, failure after failure', async () => {
    const subjects = [
      { who: 'known user, wrong password', user: 'kate', t: tenant },
      { who: 'unknown user', user: `ghost-${RUN}`, t: tenant },
      { who: 'user without a password', user: 'nopass', t: tenant },
      { who: 'unknown tenant', user: 'kate', t: `no-such-${RUN}` },
    ];
    const answers: Record<string, ReturnType<typeof visible>[]> = {};
    const waits: Record<string, number> = {};
    for (const s of subjects) {
      const from = nextAddress();
      answers[s.who] = [];
      for (let i = 0; i < 7; i++) {
        const res = await attempt(s.user, 'not-the-password-at-all', from, s.t);
        answers[s.who]!.push(visible(res));
        if (res.status === 429) waits[s.who] = Number(res.headers.get('retry-after'));
      }
    }
    const known = answers['known user, wrong password']!;
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(known[5]!.body.message).toBe('Too many failed sign-ins: try again in N seconds');
    for (const s of subjects)
      expect({ who: s.who, answers: answers[s.who] }).toEqual({ who: s.who, answers: known });
    for (const s of subjects) {
      expect(waits[s.who]).toBeGreaterThanOrEqual(25);
      expect(waits[s.who]).toBeLessThanOrEqual(30);
    }
  });

  it('locking a user from one address does not keep it out from another', async () => {
    const attacker = nextAddress();
    for (let i = 0; i < 5; i++) expect((await attempt('lena', `guess-${i}`, attacker)).status).toBe(401);
    // the attacker's address is locked out of lena, even with the right password...
    expect((await attempt('lena', passwords.lena!, attacker)).status).toBe(429);
    // ...lena, elsewhere, is not
    const home = nextAddress();
    const res = await attempt('lena', passwords.lena!, home);
    expect(res.status).toBe(201);
    expect(res.body.user.name).toBe('lena');
    // and a success counts nothing against her
    expect((await attempt('lena', passwords.lena!, home)).status).toBe(201);
  });

  it('a slower limit per user name over all addresses, met by known and unknown names alike; a new password lifts it', async () => {
    const LIMIT = 50;
    const answers: Record<string, number[]> = { known: [], unknown: [] };
    const names = { known: 'kim', unknown: `kim-ghost-${RUN}` };
    for (const which of ['known', 'unknown'] as const) {
      // 10 addresses, each stopping at its own lock (5): 50 failures in all
      for (let a = 0; a < LIMIT / 5; a++) {
        const from = nextAddress();
        for (let i = 0; i < 5; i++) {
          answers[which]!.push((await attempt(names[which], `wrong-${a}-${i}`, from)).status);
        }
      }
      // the 51st, from an address never seen: the user is resting
      const fresh = await attempt(names[which], 'wrong-again', nextAddress());
      answers[which]!.push(fresh.status);
      expect(fresh.body.message).toMatch(/^Too many failed sign-ins: try again in \d+ (seconds|minutes)$/);
      expect(Number(fresh.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(fresh.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    }
    expect(answers.known).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    expect(answers.unknown).toEqual(answers.known);
    // an operator or admin setting a new password lifts every lock of the user
    const kim = (await admin.get('/api/v1/users?limit=500')).body.items.find(
      (u: { name: string; tenant: string }) => u.name === 'kim' && u.tenant === tenant,
    );
    const renewed = `kim-renewed-${RUN}`;
    expect((await admin.patch(`/api/v1/users/${kim.id}`, { password: renewed })).status).toBe(200);
    expect((await attempt('kim', renewed, nextAddress())).status).toBe(201);
  }, 180_000);

  it('takes about as long for an unknown user as for a known one with a wrong password (medians, one run)', async () => {
    const ROUNDS = 12;
    const took: Record<'known' | 'unknown' | 'nopass', number[]> = { known: [], unknown: [], nopass: [] };
    const users = { known: 'tim', unknown: `tim-ghost-${RUN}`, nopass: 'nopass' };
    // interleaved, each from an address of its own, so that no lock and no drift favours one
    for (let i = 0; i < ROUNDS; i++) {
      for (const which of ['known', 'unknown', 'nopass'] as const) {
        const from = nextAddress();
        const start = performance.now();
        const res = await attempt(users[which], `timing-guess-${i}`, from);
        took[which].push(performance.now() - start);
        expect(res.status).toBe(401);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const m = { known: median(took.known), unknown: median(took.unknown), nopass: median(took.nopass) };
    console.log(
      `sign-in median ms over ${ROUNDS}: known user, wrong password ${m.known.toFixed(1)}; ` +
        `unknown user ${m.unknown.toFixed(1)}; user without password ${m.nopass.toFixed(1)}`,
    );
    for (const other of [m.unknown, m.nopass]) {
      expect(other / m.known).toBeLessThan(3);
      expect(m.known / other).toBeLessThan(3);
    }
  }, 120_000);
});
