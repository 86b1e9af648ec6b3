import { AuthFailed, NotFound } from '../adapter/cloud.exception.js';
import type { RetryClock } from '../adapter/retry.util.js';
import { mapOpenStackError, mapOpenStackTransport } from './openstack-error.mapper.js';

/** The HTTP port of the OpenStack client: `fetch`, `tlsFetch` (a CA of its own), or a test's fake. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type OpenStackCredentials =
  | {
      kind: 'password';
      username: string;
      password: string;
      userDomain?: string;
      project: string;
      projectDomain?: string;
    }
  | { kind: 'application-credential'; id: string; secret: string };

export type ServiceType = 'compute' | 'network' | 'image' | 'identity';

interface CatalogEntry {
  type: string;
  endpoints: Array<{ interface: string; region_id?: string; region?: string; url: string }>;
}

interface Token {
  value: string;
  expiresAt: number;
  catalog: CatalogEntry[];
}

export interface KeystoneSessionOptions {
  /** e.g. http://keystone:5000/v3 */
  authUrl: string;
  credentials: OpenStackCredentials;
  region?: string;
  interface?: 'public' | 'internal' | 'admin';
  /** Use these instead of the catalog's URLs (e.g. when the catalog names internal hosts). */
  endpointOverrides?: Partial<Record<ServiceType, string>>;
  requestTimeoutMs?: number;
  fetch?: FetchLike;
  clock: RetryClock;
}

// renew this long before the token expires, so no call goes out with a token about to lapse
const RENEW_MARGIN_MS = 5 * 60_000;

/** A Keystone v3 session: token, service catalog, renewal before expiry. */
export class KeystoneSession {
  private token: Promise<Token> | undefined;
  private readonly fetch: FetchLike;

  constructor(private readonly options: KeystoneSessionOptions) {
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** A valid token, fetched or renewed when needed; concurrent callers share one request. */
  async authToken(): Promise<string> {
    return (await this.current()).value;
  }

  /** Forgets the token (after a 401), so the next call authenticates again. */
  invalidate(): void {
    this.token = undefined;
  }

  async endpoint(type: ServiceType): Promise<string> {
    const override = this.options.endpointOverrides?.[type];
    if (override) return override.replace(/\/$/, '');
    const { catalog } = await this.current();
    const wanted = this.options.interface ?? 'public';
    const entry = catalog.find((c) => c.type === type);
    const match = entry?.endpoints.find(
      (e) =>
        e.interface === wanted && (!this.options.region || (e.region_id ?? e.region) === this.options.region),
    );
    if (!match) {
      throw new NotFound({
        provider: 'openstack',
        cloudCode: 'EndpointNotFound',
        cloudMessage: `no ${wanted} ${type} endpoint in the catalog${this.options.region ? ` for ${this.options.region}` : ''}`,
      });
    }
    return match.url.replace(/\/$/, '');
  }

  private current(): Promise<Token> {
    const now = this.options.clock.now();
    if (this.token) {
      const pending = this.token;
      this.token = pending.then((t) => (t.expiresAt - RENEW_MARGIN_MS > now ? t : this.authenticate()));
    } else {
      this.token = this.authenticate();
    }
    this.token.catch(() => (this.token = undefined));
    return this.token;
  }

  private async authenticate(): Promise<Token> {
    const url = `${this.options.authUrl.replace(/\/$/, '')}/auth/tokens`;
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ auth: this.authBody() }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
    } catch (error) {
      throw mapOpenStackTransport(url, error);
    }
    const text = await res.text();
    if (!res.ok) throw mapOpenStackError(res.status, text, res.headers.get('retry-after'));
    const value = res.headers.get('x-subject-token');
    const body = JSON.parse(text) as { token?: { expires_at?: string; catalog?: CatalogEntry[] } };
    if (!value || !body.token) {
      throw new AuthFailed({
        provider: 'openstack',
        cloudCode: 'NoToken',
        cloudMessage: 'Keystone sent no token',
      });
    }
    return {
      value,
      expiresAt: Date.parse(body.token.expires_at ?? '') || this.options.clock.now() + 3_600_000,
      catalog: body.token.catalog ?? [],
    };
  }

  private authBody(): object {
    const c = this.options.credentials;
    if (c.kind === 'application-credential') {
      // application credentials carry their own scope
      return {
        identity: {
          methods: ['application_credential'],
          application_credential: { id: c.id, secret: c.secret },
        },
      };
    }
    return {
      identity: {
        methods: ['password'],
        password: {
          user: { name: c.username, domain: { name: c.userDomain ?? 'Default' }, password: c.password },
        },
      },
      scope: { project: { name: c.project, domain: { name: c.projectDomain ?? 'Default' } } },
    };
  }
}
