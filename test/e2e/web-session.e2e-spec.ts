import { Client, type Reply } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;

interface SetCookie {
  name: string;
  value: string;
  attrs: Map<string, string>;
}

/** The Set-Cookie headers of an answer, by cookie name, attributes by lower-case name. */
function setCookies(res: Reply): Map<string, SetCookie> {
  const out = new Map<string, SetCookie>();
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...rest] = line.split(';');
    const eq = pair!.indexOf('=');
    const attrs = new Map<string, string>();
    for (const a of rest) {
      const [k, ...v] = a.trim().split('=');
      attrs.set(k!.toLowerCase(), v.join('='));
    }
    out.set(pair!.slice(0, eq).trim(), {
      name: pair!.slice(0, eq).trim(),
      value: pair!.slice(eq + 1),
      attrs,
    });
  }
  return out;
}

/** The CSP of an answer as directive → sources. */
function csp(res: Reply): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('the web session cookie, CSRF, and the security headers on every answer', () => {
  let api: Proc & { url: string };
  let admin: Client;
  let anon: Client;
  const run = Date.now().toString(36);
  const user = `web-${run}`;
  const password = `web-password-${run}-Qx7!`;

  /** A browser-like request: the cookies it holds, and any headers. */
  const browser = (
    method: string,
    path: string,
    cookies: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ) => anon.request(method, path, body, { cookie: cookies, ...headers });

  const signIn = async (headers: Record<string, string> = {}) => {
    const res = await anon.post('/api/v1/web-session', { user, password }, headers);
    const jar = setCookies(res);
    const session = jar.get('syd_session');
    const csrf = jar.get('syd_csrf');
    return { res, session, csrf, cookie: `syd_session=${session?.value}; syd_csrf=${csrf?.value}` };
  };

  beforeAll(async () => {
    api = await startApi(await stackEnv({ SIGN_IN_PER_ADDRESS_PER_MINUTE: '10000' }));
    admin = new Client(api.url, ADMIN);
    anon = admin.as(undefined);
    expect((await admin.post('/api/v1/users', { name: user, role: 'member', password })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('serves the web app, the docs and API answers with a strict CSP, no framing, nosniff and no referrer', async () => {
    const answers = {
      app: await anon.get('/', { accept: 'text/html' }),
      route: await anon.get('/catalog/x', { accept: 'text/html' }),
      docs: await anon.get('/api/docs'),
      api: await admin.get('/api/v1/me'),
      refused: await anon.get('/api/v1/me'),
      badBody: await admin.post('/api/v1/tokens', '{"name":', { 'content-type': 'application/json' }),
    };
    expect(answers.api.status).toBe(200);
    expect(answers.refused.status).toBe(401);
    expect(answers.badBody.status).toBe(400);
    expect(answers.docs.status).toBe(200);
    for (const [what, res] of Object.entries(answers)) {
      const policy = csp(res);
      const h = (name: string) => [what, res.headers.get(name)];
      expect(h('x-frame-options')).toEqual([what, 'DENY']);
      expect(h('x-content-type-options')).toEqual([what, 'nosniff']);
      expect(h('referrer-policy')).toEqual([what, 'no-referrer']);
      expect(h('cross-origin-opener-policy')).toEqual([what, 'same-origin']);
      expect(h('x-powered-by')).toEqual([what, null]);
      expect([what, policy.get('frame-ancestors')]).toEqual([what, ["'none'"]]);
      expect([what, policy.get('script-src')]).toEqual([what, ["'self'"]]);
      expect([what, policy.get('object-src')]).toEqual([what, ["'none'"]]);
      expect([what, policy.get('default-src')]).toEqual([what, ["'self'"]]);
      expect([what, policy.has('upgrade-insecure-requests')]).toEqual([what, false]);
    }
    // inline styles only where swagger-ui needs them, and never inline script or eval anywhere
    expect(csp(answers.docs).get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    for (const res of [answers.app, answers.route, answers.api]) {
      expect(csp(res).get('style-src')).toEqual(["'self'"]);
    }
    for (const res of Object.values(answers)) {
      expect(res.headers.get('content-security-policy')).not.toMatch(
        /unsafe-eval|'unsafe-inline'.*script|script[^;]*unsafe-inline/,
      );
    }
  });

  it('signs in from the web into an HttpOnly SameSite=Strict cookie; the answer never carries the token', async () => {
    const { res, session, csrf } = await signIn();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: { name: user }, role: 'member', kind: 'session' });
    expect(res.body).not.toHaveProperty('token');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(session?.value).toMatch(/^syd_/);
    expect(res.text).not.toContain(session!.value);
    expect(session!.attrs.has('httponly')).toBe(true);
    expect(session!.attrs.get('samesite')).toBe('Strict');
    expect(session!.attrs.get('path')).toBe('/');
    // plain http on loopback: not Secure, or the browser would drop it
    expect(session!.attrs.has('secure')).toBe(false);
    const expires = Date.parse(session!.attrs.get('expires')!);
    expect(Math.abs(expires - Date.parse(res.body.expiresAt))).toBeLessThan(2000);
    // the CSRF token is readable by the page, and is not the session token
    expect(csrf?.attrs.has('httponly')).toBe(false);
    expect(csrf?.attrs.get('samesite')).toBe('Strict');
    expect(csrf?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrf!.value).not.toContain(session!.value);
  });

  it('reads with the cookie alone, and changes only with the CSRF token from this site', async () => {
    const { session, csrf, cookie } = await signIn();
    const me = await browser('GET', '/api/v1/me', cookie);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { name: user }, role: 'member' });
    const current = await browser('GET', '/api/v1/web-session', cookie);
    expect(current.body).toMatchObject({ kind: 'session', user: { name: user } });

    // what another site's page can make the browser send: the cookie, without the token
    const body = { name: `csrf-${run}` };
    const refused = [
      await browser('POST', '/api/v1/tokens', cookie, {}, body),
      await browser('POST', '/api/v1/tokens', cookie, { 'x-csrf-token': 'guess' }, body),
      await browser('POST', '/api/v1/tokens', cookie, { 'x-csrf-token': session!.value }, body),
      // the right token but sent from another origin, or said cross-site by the browser
      await browser(
        'POST',
        '/api/v1/tokens',
        cookie,
        { 'x-csrf-token': csrf!.value, origin: 'http://evil.example' },
        body,
      ),
      await browser(
        'POST',
        '/api/v1/tokens',
        cookie,
        { 'x-csrf-token': csrf!.value, 'sec-fetch-site': 'cross-site' },
        body,
      ),
      await browser('DELETE', '/api/v1/sessions/current', cookie),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, message: expect.stringContaining('x-csrf-token') });
    }
    const tokens = await admin.get(`/api/v1/tokens?limit=500`);
    expect(tokens.body.items.filter((t: { name: string }) => t.name === body.name)).toEqual([]);

    // the web app's own request: same origin, token echoed
    const made = await browser(
      'POST',
      '/api/v1/tokens',
      cookie,
      { 'x-csrf-token': csrf!.value, origin: api.url, 'sec-fetch-site': 'same-origin' },
      body,
    );
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: body.name, role: 'member' });
  });

  it('keeps Bearer and Basic tokens working without any CSRF token, and prefers them to a cookie', async () => {
    const { cookie } = await signIn();
    const bearer = await admin.post('/api/v1/tokens', { name: `ci-${run}`, role: 'member' }, { cookie });
    expect(bearer.status).toBe(201);
    // the Authorization header decides who acts, not the member's cookie
    expect(bearer.body.userId).not.toBe((await browser('GET', '/api/v1/me', cookie)).body.user.id);
    const basic = await anon.get('/api/v1/me', {
      authorization: `Basic ${Buffer.from(`${ADMIN}:`).toString('base64')}`,
    });
    expect(basic.status).toBe(200);
    expect(basic.body.role).toBe('admin');
  });

  it('refuses a sign-in started by another site (login CSRF)', async () => {
    const crossSite: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const { res, session } = await signIn(headers);
      expect(res.status).toBe(403);
      expect(session).toBeUndefined();
    }
    const token = await anon.post(
      '/api/v1/web-session/token',
      { token: ADMIN },
      { origin: 'http://evil.example' },
    );
    expect(token.status).toBe(403);
    expect(token.headers.getSetCookie()).toEqual([]);
  });

  it('signs out: without the CSRF token it is refused; with it the token is revoked and the cookies cleared', async () => {
    const { csrf, cookie } = await signIn();
    const refused = await browser('DELETE', '/api/v1/web-session', cookie);
    expect(refused.status).toBe(403);
    expect((await browser('GET', '/api/v1/me', cookie)).status).toBe(200);

    const out = await browser('DELETE', '/api/v1/web-session', cookie, { 'x-csrf-token': csrf!.value });
    expect(out.status).toBe(204);
    const cleared = setCookies(out);
    for (const name of ['syd_session', 'syd_csrf']) {
      expect(cleared.get(name)?.value).toBe('');
      expect(Date.parse(cleared.get(name)!.attrs.get('expires')!)).toBeLessThan(Date.now());
    }
    expect((await browser('GET', '/api/v1/me', cookie)).status).toBe(401);
    // a dead cookie's sign-out only clears it
    const again = await browser('DELETE', '/api/v1/web-session', cookie);
    expect(again.status).toBe(204);
    expect(setCookies(again).get('syd_session')?.value).toBe('');
  });

  it('takes a pasted API token into the cookie; sign-out forgets it without revoking it', async () => {
    const made = await admin.post('/api/v1/tokens', { name: `pasted-${run}`, role: 'operator' });
    const res = await anon.post('/api/v1/web-session/token', { token: made.body.token });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'api', role: 'operator', tokenId: made.body.id });
    expect(res.text).not.toContain(made.body.token);
    const jar = setCookies(res);
    expect(jar.get('syd_session')?.value).toBe(made.body.token);
    expect(jar.get('syd_session')?.attrs.has('httponly')).toBe(true);
    const cookie = `syd_session=${made.body.token}; syd_csrf=${jar.get('syd_csrf')!.value}`;
    expect((await browser('GET', '/api/v1/web-session', cookie)).body.kind).toBe('api');
    const out = await browser('DELETE', '/api/v1/web-session', cookie, {
      'x-csrf-token': jar.get('syd_csrf')!.value,
    });
    expect(out.status).toBe(204);
    expect((await new Client(api.url, made.body.token).get('/api/v1/me')).status).toBe(200);

    const bad = await anon.post('/api/v1/web-session/token', { token: 'syd_not_a_token' });
    expect(bad.status).toBe(401);
    expect(bad.headers.getSetCookie()).toEqual([]);
    const empty = await anon.post('/api/v1/web-session/token', {});
    expect(empty.status).toBe(400);
    expect(empty.body.details.map((d: { path: string }) => d.path)).toContain('token');
  });

  it('marks the cookies Secure when the request came over https through a proxy on loopback', async () => {
    const { session, csrf } = await signIn({ 'x-forwarded-proto': 'https' });
    expect(session?.attrs.has('secure')).toBe(true);
    expect(csrf?.attrs.has('secure')).toBe(true);
  });

  it('answers 401, never 500, to a hostile or broken Cookie header', async () => {
    for (const cookie of [
      'syd_session=%E0%A4%A',
      'syd_session=',
      `syd_session=${'x'.repeat(10_000)}`,
      ';'.repeat(10_000),
      '=;=;=',
      'syd_session="unterminated',
    ]) {
      const res = await browser('GET', '/api/v1/me', cookie);
      expect([cookie.slice(0, 30), res.status]).toEqual([cookie.slice(0, 30), 401]);
    }
  });
});
