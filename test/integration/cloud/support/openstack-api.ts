/** OpenStack's own HTTP APIs as an operator would call them: a Keystone token and the catalog. */
export interface OpenStackApi {
  token: string;
  userId: string;
  /** The project the token is scoped to. */
  projectId: string;
  /** Public URL of each service, by type (`compute`, `network`, …). */
  catalog: Record<string, string>;
  /** JSON from one service (`compute`, `network`, …); throws on anything but 2xx. */
  request<T = any>(service: string, method: string, path: string, body?: unknown): Promise<T>;
}

export interface OpenStackLogin {
  authUrl: string;
  username: string;
  password: string;
  project: string;
}

/** The test peer's admin login (tools/peers/env.sh), with the peer's defaults. */
export function openStackLogin(authUrl: string): OpenStackLogin {
  return {
    authUrl,
    username: process.env.OS_USERNAME ?? 'admin',
    password: process.env.OS_PASSWORD ?? 'secret',
    project: process.env.OS_PROJECT_NAME ?? 'admin',
  };
}

/** Logs in to Keystone (password, domain Default) and calls services through the catalog. */
export async function openStackApi(login: OpenStackLogin): Promise<OpenStackApi> {
  const res = await fetch(`${login.authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: login.username, domain: { name: 'Default' }, password: login.password } },
        },
        scope: { project: { name: login.project, domain: { name: 'Default' } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`Keystone login: HTTP ${res.status} ${await res.text()}`);
  const token = res.headers.get('x-subject-token') ?? '';
  const { token: body } = (await res.json()) as {
    token: {
      user: { id: string };
      project: { id: string };
      catalog: Array<{ type: string; endpoints: Array<{ interface: string; url: string }> }>;
    };
  };
  const urls = new Map(
    body.catalog.map((c) => [c.type, c.endpoints.find((e) => e.interface === 'public')?.url ?? '']),
  );
  return {
    token,
    userId: body.user.id,
    projectId: body.project.id,
    catalog: Object.fromEntries(urls),
    async request(service, method, path, payload) {
      const base = urls.get(service);
      if (!base) throw new Error(`no ${service} endpoint in the catalog`);
      const reply = await fetch(`${base.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          'x-auth-token': token,
          accept: 'application/json',
          // Nova shows what Switchyard relies on (the flavor's name, user data) from 2.47 on
          ...(service === 'compute' ? { 'openstack-api-version': 'compute 2.47' } : {}),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      });
      const text = await reply.text();
      if (!reply.ok) throw new Error(`${method} ${service}${path}: HTTP ${reply.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    },
  };
}

/**
 * Raises the project's quotas above what parallel test files use together (the defaults, 10
 * instances and 10 security groups, are reached by the contract suite and the deployment tests
 * running at once). Idempotent; an operator of a real cloud would do the same for a CI project.
 */
export async function ensureTestQuotas(os: OpenStackApi): Promise<void> {
  await os.request('compute', 'PUT', `/os-quota-sets/${os.projectId}`, {
    quota_set: { instances: 200, cores: 800, ram: 4_096_000 },
  });
  await os.request('network', 'PUT', `/v2.0/quotas/${os.projectId}`, {
    quota: { network: 200, subnet: 200, port: 1000, security_group: 200, security_group_rule: 2000 },
  });
}
