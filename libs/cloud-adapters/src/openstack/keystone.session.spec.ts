import { CloudErrorCode } from '../adapter/cloud.exception.js';
import type { RetryClock } from '../adapter/retry.util.js';
import { KeystoneSession, type FetchLike } from './keystone.session.js';
import { OpenStackHttp } from './openstack-http.client.js';

interface Expected {
  method: string;
  url: string;
  respond: () => Response;
  check?: (init: RequestInit) => void;
}

/** A strict fake of the fetch port: requests must match the script, in order, and no more. */
function strictFetch(script: Expected[]): FetchLike & { remaining: () => number } {
  const fake = (url: string, init: RequestInit) => {
    const next = script.shift();
    if (!next) return Promise.reject(new Error(`unexpected ${init.method} ${url}`));
    if (next.method !== init.method || next.url !== url) {
      return Promise.reject(new Error(`expected ${next.method} ${next.url}, got ${init.method} ${url}`));
    }
    next.check?.(init);
    return Promise.resolve(next.respond());
  };
  return Object.assign(fake, { remaining: () => script.length });
}

const catalog = [
  { type: 'compute', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: 'http://nova/v2.1/' }] },
];
function tokenResponse(value: string, expiresAt: string): () => Response {
  return () =>
    new Response(JSON.stringify({ token: { expires_at: expiresAt, catalog } }), {
      status: 201,
      headers: { 'x-subject-token': value },
    });
}

function clockAt(t: { now: number }): RetryClock {
  return { now: () => t.now, sleep: () => Promise.resolve(), random: () => 0 };
}

const auth = { method: 'POST', url: 'http://ks/v3/auth/tokens' };
const password = { kind: 'password' as const, username: 'u', password: 'p', project: 'demo' };

describe('KeystoneSession', () => {
  it('reuses the token, and renews it five minutes before it expires', async () => {
    const t = { now: Date.parse('2026-01-01T00:00:00Z') };
    const fetch = strictFetch([
      { ...auth, respond: tokenResponse('tok-1', '2026-01-01T01:00:00Z') },
      { ...auth, respond: tokenResponse('tok-2', '2026-01-01T02:00:00Z') },
    ]);
    const session = new KeystoneSession({
      authUrl: 'http://ks/v3',
      credentials: password,
      fetch,
      clock: clockAt(t),
    });
    expect(await session.authToken()).toBe('tok-1');
    t.now = Date.parse('2026-01-01T00:54:00Z');
    expect(await session.authToken()).toBe('tok-1');
    t.now = Date.parse('2026-01-01T00:56:00Z');
    expect(await session.authToken()).toBe('tok-2');
    expect(fetch.remaining()).toBe(0);
  });

  it('sends an application credential without a scope, and finds endpoints in the catalog', async () => {
    const fetch = strictFetch([
      {
        ...auth,
        respond: tokenResponse('tok', '2099-01-01T00:00:00Z'),
        check: (init) =>
          expect(JSON.parse(String(init.body))).toEqual({
            auth: {
              identity: {
                methods: ['application_credential'],
                application_credential: { id: 'ac', secret: 's' },
              },
            },
          }),
      },
    ]);
    const session = new KeystoneSession({
      authUrl: 'http://ks/v3/',
      credentials: { kind: 'application-credential', id: 'ac', secret: 's' },
      region: 'RegionOne',
      fetch,
      clock: clockAt({ now: 0 }),
    });
    expect(await session.endpoint('compute')).toBe('http://nova/v2.1');
    await expect(session.endpoint('image')).rejects.toMatchObject({ code: CloudErrorCode.NotFound });
  });

  it('maps a refused login to AuthFailed with Keystone’s own words', async () => {
    const body = {
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    };
    const fetch = strictFetch([
      { ...auth, respond: () => new Response(JSON.stringify(body), { status: 401 }) },
    ]);
    const session = new KeystoneSession({
      authUrl: 'http://ks/v3',
      credentials: password,
      fetch,
      clock: clockAt({ now: 0 }),
    });
    await expect(session.authToken()).rejects.toMatchObject({
      code: CloudErrorCode.AuthFailed,
      cloudCode: 'Unauthorized',
      cloudMessage: body.error.message,
    });
  });
});

describe('OpenStackHttp', () => {
  it('authenticates again once when a service answers 401 (token revoked)', async () => {
    const fetch = strictFetch([
      { ...auth, respond: tokenResponse('old', '2099-01-01T00:00:00Z') },
      { method: 'GET', url: 'http://nova/v2.1/flavors', respond: () => new Response('{}', { status: 401 }) },
      { ...auth, respond: tokenResponse('new', '2099-01-01T00:00:00Z') },
      {
        method: 'GET',
        url: 'http://nova/v2.1/flavors',
        respond: () => new Response('{"flavors":[]}', { status: 200 }),
        check: (init) => expect((init.headers as Record<string, string>)['x-auth-token']).toBe('new'),
      },
    ]);
    const clock = clockAt({ now: 0 });
    const session = new KeystoneSession({ authUrl: 'http://ks/v3', credentials: password, fetch, clock });
    const http = new OpenStackHttp({
      session,
      fetch,
      clock,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(http.get('compute', '/flavors')).resolves.toEqual({ flavors: [] });
    expect(fetch.remaining()).toBe(0);
  });

  it('retries a 429 on reads, honouring Retry-After, but sends a POST once', async () => {
    const slept: number[] = [];
    const clock: RetryClock = {
      now: () => 0,
      sleep: (ms) => (slept.push(ms), Promise.resolve()),
      random: () => 0,
    };
    const over = () =>
      new Response('{"overLimit":{"code":429,"message":"slow down"}}', {
        status: 429,
        headers: { 'retry-after': '2' },
      });
    const fetch = strictFetch([
      { ...auth, respond: tokenResponse('t', '2099-01-01T00:00:00Z') },
      { method: 'GET', url: 'http://nova/v2.1/servers', respond: over },
      { method: 'GET', url: 'http://nova/v2.1/servers', respond: () => new Response('{"servers":[]}') },
      { method: 'POST', url: 'http://nova/v2.1/servers', respond: over },
    ]);
    const session = new KeystoneSession({ authUrl: 'http://ks/v3', credentials: password, fetch, clock });
    const http = new OpenStackHttp({
      session,
      fetch,
      clock,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
    });
    await expect(http.get('compute', '/servers')).resolves.toEqual({ servers: [] });
    expect(slept).toEqual([2_000]);
    await expect(http.post('compute', '/servers', {})).rejects.toMatchObject({
      code: CloudErrorCode.Throttled,
      cloudCode: 'overLimit',
    });
    expect(fetch.remaining()).toBe(0);
  });
});
