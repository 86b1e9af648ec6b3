import { randomBytes } from 'node:crypto';

/** Log levels pino understands, lowest first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * How log records are written: `json` lines (for log pipelines), `pretty` (one short line per
 * record, for people), or `auto`: pretty on a terminal, JSON otherwise.
 */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Switchyard's one configuration object, read from the environment once at boot. */
export interface AppConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  readonly redisUrl: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** Prefix of every BullMQ key, so that several installations (or test runs) can share one Redis. */
  readonly queuePrefix: string;
  readonly secrets: SecretKeyring;
  /** Taken as the bootstrap admin token when set (automation and CI). */
  readonly adminToken: string | undefined;
  readonly worker: {
    readonly concurrency: number;
    readonly lockDurationMs: number;
    readonly stalledIntervalMs: number;
    readonly shutdownGraceMs: number;
    /** How often deployments are compared with their clouds; 0 turns it off. */
    readonly reconcileIntervalMs: number;
    /**
     * Cloud calls of deployment steps: a call with no answer within this time fails (and is
     * retried). Unset: each adapter's own (30 s; vSphere 60 s).
     */
    readonly cloudRequestTimeoutMs: number | undefined;
    /** Retries of throttled and transiently failed cloud calls (attempts include the first). */
    readonly cloudRetry: {
      readonly maxAttempts: number;
      readonly baseDelayMs: number;
      readonly maxDelayMs: number;
    };
    /**
     * How long a rollback or terminate keeps retrying, with backoff up to `teardownRetryMaxDelayMs`,
     * while a cloud does not answer; after that it fails, naming what it could not remove.
     */
    readonly teardownRetryWindowMs: number;
    readonly teardownRetryMaxDelayMs: number;
    /** Webhook deliveries: attempts (the first included), backoff doubling from base to max, timeout of one. */
    readonly webhookRetry: {
      readonly maxAttempts: number;
      readonly baseDelayMs: number;
      readonly maxDelayMs: number;
      readonly timeoutMs: number;
    };
    /**
     * Tests only: every delivery, handler run and committed effect is appended to a Redis list
     * (`<queuePrefix>:execution-trace`), outside the transaction, so a test can count what the
     * exactly-once ledger hides. Off by default; refused in production.
     */
    readonly executionTrace: boolean;
  };
  readonly http: {
    readonly bodyLimitBytes: number;
    /**
     * How many API processes share the port (node:cluster), `API_PROCESSES`; 0 means one per core.
     * Each keeps its own caches, which Postgres notices keep current.
     */
    readonly apiProcesses: number;
  };
  /**
   * Password sign-in (`POST /api/v1/sessions`): how long the token it issues lasts, and how many
   * sign-ins one client address may try per minute (each costs a deliberately slow hash).
   */
  readonly sessions: {
    readonly ttlHours: number;
    readonly perAddressPerMinute: number;
    /**
     * The web session cookie's `Secure` flag: `auto` sets it on requests that came over https
     * (directly or through a proxy on loopback), so that http on loopback still works in
     * development; `always` sets it on every answer (https behind a proxy elsewhere).
     */
    readonly cookieSecure: 'auto' | 'always';
    /**
     * How long an API process may answer from memory who a token is. Any change to tokens, users
     * or tenants empties every process's memory at once (Postgres notifies them); this is only the
     * bound while a process cannot hear those notices. 0 turns the memory off.
     */
    readonly principalCacheMs: number;
  };
  /** Simulated clouds the API seeds demo accounts for (`npm start`); unset in production. */
  readonly demoClouds: DemoClouds | undefined;
  /**
   * The API's base URL as the deployed VMs reach it (their policy pull calls
   * `<guestApiUrl>/api/v1/guest/ruleset`), without a trailing slash. Default: this host's PORT on
   * 127.0.0.1, which only guests on this machine (Linux-host instances) can reach.
   */
  readonly guestApiUrl: string;
}

/**
 * Where the demo's cloud peers answer. `SWITCHYARD_DEMO_CLOUDS` is a comma-separated list of
 * `key=value`: `moto=URL`, `vcsim=URL`, `vcsim-ca=PEM_FILE`, `vcsim-user=`, `vcsim-password=`,
 * `openstack=KEYSTONE_URL`, `openstack-user=`, `openstack-password=`, `openstack-project=`,
 * `linux-host=AGENT_URL`, `linux-host-token-file=FILE` (the local host agent `npm start` runs as root).
 */
export interface DemoClouds {
  readonly moto?: string;
  readonly vcsim?: {
    readonly url: string;
    readonly caCertFile?: string;
    readonly username: string;
    /** A secret, though only of a local simulator. */
    readonly password: string;
  };
  readonly openstack?: {
    readonly authUrl: string;
    readonly username: string;
    readonly password: string;
    readonly project: string;
  };
  /** The local host's agent; its token is read from a file (mode 0600), never from a variable. */
  readonly linuxHost?: {
    readonly agentUrl: string;
    readonly tokenFile: string;
  };
}

/** The keys that encrypt secrets at rest; `active` encrypts, all of them decrypt (rotation). */
export interface SecretKeyring {
  readonly active: { readonly id: string; readonly key: Buffer };
  readonly all: ReadonlyMap<string, Buffer>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration. Every problem is collected and reported at once,
 * each naming its variable.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const port = read.int('PORT', 3000, 0, 65535);
  const config: AppConfig = {
    env: nodeEnv,
    port,
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres:postgres@127.0.0.1:5432/switchyard', [
      'postgres:',
      'postgresql:',
    ]),
    databasePoolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 500),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: read.oneOf('LOG_FORMAT', LOG_FORMATS, 'auto'),
    queuePrefix: read.pattern(
      'QUEUE_PREFIX',
      'switchyard',
      /^[a-zA-Z0-9_-]{1,64}$/,
      'letters, digits, - and _',
    ),
    secrets: readKeyring(read, nodeEnv),
    adminToken: read.optionalPattern(
      'SWITCHYARD_ADMIN_TOKEN',
      /^[A-Za-z0-9_-]{32,128}$/,
      '32 to 128 characters of letters, digits, - and _',
    ),
    worker: {
      concurrency: read.int('WORKER_CONCURRENCY', 5, 1, 1000),
      lockDurationMs: read.int('WORKER_LOCK_DURATION_MS', 30_000, 500, 3_600_000),
      stalledIntervalMs: read.int('WORKER_STALLED_INTERVAL_MS', 30_000, 200, 3_600_000),
      shutdownGraceMs: read.int('WORKER_SHUTDOWN_GRACE_MS', 25_000, 0, 3_600_000),
      reconcileIntervalMs: read.int('RECONCILE_INTERVAL_MS', 60_000, 0, 86_400_000),
      cloudRequestTimeoutMs: read.raw('CLOUD_REQUEST_TIMEOUT_MS')
        ? read.int('CLOUD_REQUEST_TIMEOUT_MS', 0, 100, 600_000)
        : undefined,
      cloudRetry: {
        maxAttempts: read.int('CLOUD_RETRY_ATTEMPTS', 5, 1, 20),
        baseDelayMs: read.int('CLOUD_RETRY_BASE_DELAY_MS', 200, 1, 60_000),
        maxDelayMs: read.int('CLOUD_RETRY_MAX_DELAY_MS', 5_000, 1, 300_000),
      },
      teardownRetryWindowMs: read.int('TEARDOWN_RETRY_WINDOW_MS', 30 * 60_000, 0, 7 * 86_400_000),
      teardownRetryMaxDelayMs: read.int('TEARDOWN_RETRY_MAX_DELAY_MS', 60_000, 100, 3_600_000),
      webhookRetry: {
        maxAttempts: read.int('WEBHOOK_RETRY_ATTEMPTS', 8, 1, 30),
        baseDelayMs: read.int('WEBHOOK_RETRY_BASE_DELAY_MS', 10_000, 10, 3_600_000),
        maxDelayMs: read.int('WEBHOOK_RETRY_MAX_DELAY_MS', 3_600_000, 10, 86_400_000),
        timeoutMs: read.int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      },
      executionTrace: read.oneOf('WORKER_EXECUTION_TRACE', ['0', '1'] as const, '0') === '1',
    },
    http: {
      bodyLimitBytes: read.int('HTTP_BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
      // 0: one per core
      apiProcesses: read.int('API_PROCESSES', 1, 0, 256),
    },
    sessions: {
      ttlHours: read.int('SESSION_TTL_HOURS', 12, 1, 720),
      perAddressPerMinute: read.int('SIGN_IN_PER_ADDRESS_PER_MINUTE', 30, 1, 100_000),
      cookieSecure: read.oneOf('SESSION_COOKIE_SECURE', ['auto', 'always'] as const, 'auto'),
      principalCacheMs: read.int('PRINCIPAL_CACHE_MS', 10_000, 0, 600_000),
    },
    demoClouds: readDemoClouds(read),
    guestApiUrl: read
      .url('GUEST_API_URL', `http://127.0.0.1:${port}`, ['http:', 'https:'])
      .replace(/\/+$/, ''),
  };
  const { baseDelayMs, maxDelayMs } = config.worker.cloudRetry;
  if (baseDelayMs > maxDelayMs) {
    read.problem('CLOUD_RETRY_BASE_DELAY_MS', `must not exceed CLOUD_RETRY_MAX_DELAY_MS (${maxDelayMs})`);
  }
  if (config.worker.executionTrace && nodeEnv === 'production') {
    read.problem('WORKER_EXECUTION_TRACE', 'is for tests and must not be set in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * `SWITCHYARD_SECRET_KEY` is 32 bytes in base64 (`openssl rand -base64 32`), with its id in
 * `SWITCHYARD_SECRET_KEY_ID`. Older keys that must still decrypt go in
 * `SWITCHYARD_OLD_SECRET_KEYS` as `id:base64,id:base64`. In production the key is required;
 * elsewhere a missing key gets an ephemeral one (the launcher keeps a stable one in .switchyard/).
 */
function readKeyring(read: EnvReader, nodeEnv: AppConfig['env']): SecretKeyring {
  const id = read.pattern(
    'SWITCHYARD_SECRET_KEY_ID',
    'k1',
    /^[a-zA-Z0-9_.-]{1,32}$/,
    'letters, digits, _ . -',
  );
  const raw = read.raw('SWITCHYARD_SECRET_KEY');
  let key: Buffer;
  if (raw === undefined) {
    if (nodeEnv === 'production') read.problem('SWITCHYARD_SECRET_KEY', 'is required in production');
    key = randomBytes(32);
  } else {
    key = Buffer.from(raw, 'base64');
    if (key.length !== 32) read.problem('SWITCHYARD_SECRET_KEY', 'must be 32 bytes encoded in base64');
  }
  const all = new Map<string, Buffer>([[id, key]]);
  const old = read.raw('SWITCHYARD_OLD_SECRET_KEYS');
  for (const entry of old ? old.split(',') : []) {
    const [oldId, oldKey] = entry.split(':');
    const buf = Buffer.from(oldKey ?? '', 'base64');
    if (!oldId || buf.length !== 32) {
      read.problem('SWITCHYARD_OLD_SECRET_KEYS', 'must be a comma-separated list of id:base64-of-32-bytes');
    } else if (!all.has(oldId)) {
      all.set(oldId, buf);
    }
  }
  return { active: { id, key }, all };
}

const DEMO_KEYS = [
  'moto',
  'vcsim',
  'vcsim-ca',
  'vcsim-user',
  'vcsim-password',
  'openstack',
  'openstack-user',
  'openstack-password',
  'openstack-project',
  'linux-host',
  'linux-host-token-file',
];

function readDemoClouds(read: EnvReader): DemoClouds | undefined {
  const NAME = 'SWITCHYARD_DEMO_CLOUDS';
  const raw = read.raw(NAME);
  if (raw === undefined) return undefined;
  const pairs = new Map<string, string>();
  for (const entry of raw.split(',')) {
    const at = entry.indexOf('=');
    const key = entry.slice(0, at).trim();
    if (at < 1 || !DEMO_KEYS.includes(key)) {
      read.problem(NAME, `has "${entry.split('=')[0]}": keys are ${DEMO_KEYS.join(', ')}`);
      continue;
    }
    pairs.set(key, entry.slice(at + 1).trim());
  }
  const url = (key: string): string | undefined => {
    const value = pairs.get(key);
    if (value === undefined) return undefined;
    try {
      if (['http:', 'https:'].includes(new URL(value).protocol)) return value;
    } catch {
      // reported below
    }
    read.problem(NAME, `${key} must be an http(s) URL`);
    return undefined;
  };
  const moto = url('moto');
  const vcsim = url('vcsim');
  const openstack = url('openstack');
  const linuxHost = url('linux-host');
  const tokenFile = pairs.get('linux-host-token-file');
  if (linuxHost && !tokenFile) read.problem(NAME, 'linux-host needs linux-host-token-file');
  return {
    ...(moto ? { moto } : {}),
    ...(vcsim
      ? {
          vcsim: {
            url: vcsim,
            ...(pairs.get('vcsim-ca') ? { caCertFile: pairs.get('vcsim-ca') } : {}),
            username: pairs.get('vcsim-user') ?? 'switchyard',
            password: pairs.get('vcsim-password') ?? 'vcsim-secret',
          },
        }
      : {}),
    ...(openstack
      ? {
          openstack: {
            authUrl: openstack,
            username: pairs.get('openstack-user') ?? 'admin',
            password: pairs.get('openstack-password') ?? 'secret',
            project: pairs.get('openstack-project') ?? 'admin',
          },
        }
      : {}),
    ...(linuxHost && tokenFile ? { linuxHost: { agentUrl: linuxHost, tokenFile } } : {}),
  };
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  problem(name: string, message: string): void {
    this.problems.push(`${name} ${message}`);
  }

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.problem(name, `must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.raw(name) ?? fallback;
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) {
        this.problem(name, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      }
    } catch {
      this.problem(name, 'must be a valid URL');
    }
    return value;
  }

  pattern(name: string, fallback: string, re: RegExp, rule: string): string {
    return this.optionalPattern(name, re, rule) ?? fallback;
  }

  optionalPattern(name: string, re: RegExp, rule: string): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && !re.test(value)) {
      this.problem(name, `must be ${rule}`);
      return undefined;
    }
    return value;
  }
}
