import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives local defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres:postgres@127.0.0.1:5432/switchyard');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.logLevel).toBe('info');
    expect(config.logFormat).toBe('auto');
    expect(config.secrets.active.key).toHaveLength(32);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        LOG_FORMAT: 'xml',
        SWITCHYARD_SECRET_KEY: 'c2hvcnQ=',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT must be an integer/m);
    expect(problems).toMatch(/^DATABASE_URL must be a URL starting with postgres:/m);
    expect(problems).toMatch(/^LOG_LEVEL must be one of/m);
    expect(problems).toMatch(/^LOG_FORMAT must be one of auto, json, pretty/m);
    expect(problems).toMatch(/^SWITCHYARD_SECRET_KEY must be 32 bytes/m);
  });

  it('reads the worker’s cloud timeouts, retries and teardown window', () => {
    expect(loadConfig({}).worker).toMatchObject({
      cloudRequestTimeoutMs: undefined,
      cloudRetry: { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 },
      teardownRetryWindowMs: 1_800_000,
      teardownRetryMaxDelayMs: 60_000,
    });
    const worker = loadConfig({
      CLOUD_REQUEST_TIMEOUT_MS: '2500',
      CLOUD_RETRY_ATTEMPTS: '3',
      CLOUD_RETRY_BASE_DELAY_MS: '100',
      CLOUD_RETRY_MAX_DELAY_MS: '500',
      TEARDOWN_RETRY_WINDOW_MS: '0',
      TEARDOWN_RETRY_MAX_DELAY_MS: '2000',
    }).worker;
    expect(worker.cloudRequestTimeoutMs).toBe(2_500);
    expect(worker.cloudRetry).toEqual({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 500 });
    expect(worker.teardownRetryWindowMs).toBe(0);
    expect(worker.teardownRetryMaxDelayMs).toBe(2_000);
    expect(() =>
      loadConfig({
        CLOUD_RETRY_ATTEMPTS: '0',
        CLOUD_RETRY_BASE_DELAY_MS: '900',
        CLOUD_RETRY_MAX_DELAY_MS: '800',
      }),
    ).toThrow(
      /CLOUD_RETRY_ATTEMPTS must be an integer from 1 to 20[\s\S]*CLOUD_RETRY_BASE_DELAY_MS must not exceed/,
    );
  });

  it('reads how long a sign-in session lasts, 1 to 720 hours', () => {
    expect(loadConfig({}).sessions.ttlHours).toBe(12);
    expect(loadConfig({ SESSION_TTL_HOURS: '1' }).sessions.ttlHours).toBe(1);
    expect(loadConfig({}).sessions.perAddressPerMinute).toBe(30);
    expect(() => loadConfig({ SIGN_IN_PER_ADDRESS_PER_MINUTE: '0' })).toThrow(
      /SIGN_IN_PER_ADDRESS_PER_MINUTE must be an integer from 1 to 100000/,
    );
    expect(() => loadConfig({ SESSION_TTL_HOURS: '0' })).toThrow(
      /SESSION_TTL_HOURS must be an integer from 1 to 720 \(got "0"\)/,
    );
    expect(() => loadConfig({ SESSION_TTL_HOURS: '1.5' })).toThrow(/SESSION_TTL_HOURS must be an integer/);
  });

  it('reads whether the web session cookie is always Secure or only over https', () => {
    expect(loadConfig({}).sessions.cookieSecure).toBe('auto');
    expect(loadConfig({ SESSION_COOKIE_SECURE: 'always' }).sessions.cookieSecure).toBe('always');
    expect(() => loadConfig({ SESSION_COOKIE_SECURE: 'yes' })).toThrow(/SESSION_COOKIE_SECURE/);
  });

  it('requires the secret key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SWITCHYARD_SECRET_KEY is required in production/,
    );
  });

  it('refuses a short admin token', () => {
    expect(() => loadConfig({ SWITCHYARD_ADMIN_TOKEN: 'abc' })).toThrow(
      /SWITCHYARD_ADMIN_TOKEN must be 32 to 128/,
    );
  });

  it('reads old keys for rotation', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const old = Buffer.alloc(32, 2).toString('base64');
    const config = loadConfig({
      SWITCHYARD_SECRET_KEY: key,
      SWITCHYARD_SECRET_KEY_ID: 'k2',
      SWITCHYARD_OLD_SECRET_KEYS: `k1:${old}`,
    });
    expect(config.secrets.active.id).toBe('k2');
    expect([...config.secrets.all.keys()]).toEqual(['k2', 'k1']);
  });

  it('reads where the demo clouds answer, and names bad entries', () => {
    expect(loadConfig({}).demoClouds).toBeUndefined();
    const config = loadConfig({
      SWITCHYARD_DEMO_CLOUDS:
        'moto=http://127.0.0.1:4566,vcsim=https://127.0.0.1:8989/sdk,vcsim-ca=/tmp/ca.pem',
    });
    expect(config.demoClouds).toEqual({
      moto: 'http://127.0.0.1:4566',
      vcsim: {
        url: 'https://127.0.0.1:8989/sdk',
        caCertFile: '/tmp/ca.pem',
        username: 'switchyard',
        password: 'vcsim-secret',
      },
    });
    expect(
      loadConfig({
        SWITCHYARD_DEMO_CLOUDS: 'linux-host=http://127.0.0.1:7471,linux-host-token-file=/run/agent.token',
      }).demoClouds,
    ).toEqual({ linuxHost: { agentUrl: 'http://127.0.0.1:7471', tokenFile: '/run/agent.token' } });
    expect(() => loadConfig({ SWITCHYARD_DEMO_CLOUDS: 'linux-host=http://127.0.0.1:7471' })).toThrow(
      /linux-host needs linux-host-token-file/,
    );
    expect(() => loadConfig({ SWITCHYARD_DEMO_CLOUDS: 'moto=ftp://x,gce=http://y' })).toThrow(
      /SWITCHYARD_DEMO_CLOUDS has "gce"[\s\S]*SWITCHYARD_DEMO_CLOUDS moto must be an http\(s\) URL/,
    );
  });
});
