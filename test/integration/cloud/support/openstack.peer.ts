import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  OpenStackAdapter,
  TAG_DEPLOYMENT,
  type OpenStackAdapterOptions,
  type OpenStackCredentials,
} from '@switchyard/cloud-adapters';
import type { CloudPeer } from './cloud-peer.js';
import { ensureTestQuotas, openStackApi, openStackLogin } from './openstack-api.js';
import { FaultProxy } from './fault-proxy.js';
import { isUp } from './spawn-peer.js';

const root = process.cwd();
const packages = [
  'python3-keystone',
  'nova-api',
  'nova-conductor',
  'nova-scheduler',
  'python3-neutron',
  'glance-common',
];

function installed(): boolean {
  try {
    execFileSync('dpkg', ['-s', ...packages], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const authUrlOf = () => (process.env.OS_AUTH_URL ?? 'http://127.0.0.1:5000/v3').replace(/\/$/, '');

/**
 * Whether OpenStack answers or can be booted here, known before tests are registered so that its
 * tests are skipped (or, with OPENSTACK_REQUIRED=1 as in CI, fail) rather than pass without it.
 */
export async function openStackAvailability(): Promise<{
  available: boolean;
  reason: string;
  requiredBy: string;
}> {
  const authUrl = authUrlOf();
  const available = (await isUp(authUrl)) || installed();
  return {
    available,
    reason:
      `OpenStack is not available: nothing answers at ${authUrl} and its services are not installed ` +
      `(tools/peers/up.sh openstack installs and starts them; ~6 min of apt the first time)`,
    requiredBy: 'OPENSTACK_REQUIRED',
  };
}

/**
 * The real OpenStack at OS_AUTH_URL; when it is not running but installed, this file boots it with
 * tools/peers/openstack/ostack-up.sh (~90 s) and stops it afterwards. Not installed: null (skip).
 */
export async function startOpenStack(): Promise<CloudPeer | null> {
  // one boot per test file however many suites use it: booting costs 90+ s and 1.75 GB
  booted ??= boot();
  const peer = await booted;
  return peer && { ...peer, stop: () => Promise.resolve() };
}

/** Stops OpenStack if this file booted it; call once, from the file's top-level afterAll. */
export async function stopOpenStack(): Promise<void> {
  const peer = await booted;
  booted = undefined;
  await peer?.stop();
}

let booted: Promise<CloudPeer | null> | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function boot(): Promise<CloudPeer | null> {
  const authUrl = authUrlOf();
  const osd = process.env.OSD ?? join(root, '.switchyard/openstack');
  let owned = false;
  if (!(await isUp(authUrl))) {
    if (!installed()) {
      // callers register their tests only when openStackAvailability() said yes: getting here is a fault
      throw new Error(
        `OpenStack went away: nothing answers at ${authUrl} and its services are not installed ` +
          `(tools/peers/up.sh installs and starts them; ~6 min of apt the first time).`,
      );
    }
    execFileSync(join(root, 'tools/peers/openstack/ostack-up.sh'), {
      env: { ...process.env, OSD: osd },
      stdio: 'inherit',
    });
    owned = true;
  }
  const credentials: OpenStackCredentials = {
    kind: 'password',
    username: process.env.OS_USERNAME ?? 'admin',
    password: process.env.OS_PASSWORD ?? 'secret',
    project: process.env.OS_PROJECT_NAME ?? 'admin',
  };
  const options: OpenStackAdapterOptions = { authUrl, credentials, vlanPhysicalNetwork: 'physnet1' };
  const direct = new OpenStackAdapter(options);
  await ensureTestQuotas(await openStackApi(openStackLogin(authUrl)));
  // servers an interrupted adapter test left would hold its fixed addresses; servers of Switchyard
  // deployments (uuid tags) belong to e2e files that may be running right now, and stay
  for (const leftover of await direct.describeInstances({})) {
    const owner = leftover.tags[TAG_DEPLOYMENT];
    if (owner && !UUID.test(owner)) await direct.terminateInstance(leftover.id);
  }
  const images = await direct.listImages();
  const image = images.find((i) => i.name === 'cirros-fake')?.id ?? images[0]?.id ?? 'no-image';

  return {
    name: 'openstack',
    endpoint: authUrl,
    adapter: (tuning) => new OpenStackAdapter({ ...options, ...tuning }),
    async adapterThroughProxy(tuning) {
      const urls = (await openStackApi(openStackLogin(authUrl))).catalog;
      const routes = { identity: authUrl, ...urls };
      const proxy = await FaultProxy.start({ target: authUrl, routes });
      const via = (name: string) => `${proxy.url}/${name}`;
      const adapter = new OpenStackAdapter({
        ...options,
        ...tuning,
        authUrl: via('identity'),
        endpointOverrides: {
          identity: via('identity'),
          compute: via('compute'),
          network: via('network'),
          image: via('image'),
        },
      });
      return { adapter, proxy };
    },
    async withWrongCredentials(check) {
      await check(new OpenStackAdapter({ ...options, credentials: { ...credentials, password: 'wrong' } }));
    },
    throttleFault: {
      kind: 'status',
      status: 429,
      body: '{"overLimit": {"code": 429, "message": "Over limit"}}',
      headers: { 'content-type': 'application/json' },
    },
    isCreateRequest: (r) => r.method === 'POST' && /\/compute\/servers$/.test(r.path),
    isNetworkCreateRequest: (r) => r.method === 'POST' && /\/network\/v2\.0\/networks$/.test(r.path),
    isRuleRequest: (r) => r.method === 'POST' && /\/network\/v2\.0\/security-group-rules$/.test(r.path),
    fixtures: {
      instanceType: 'm1.tiny',
      image,
      network: { name: 'sy-contract-net', cidr: '10.42.0.0/24', vlan: 142 },
      privateIp: '10.42.0.10',
      unknownInstanceId: randomUUID(),
    },
    stateTimeoutMs: 120_000,
    async stop() {
      if (owned)
        execFileSync(join(root, 'tools/peers/openstack/ostack-down.sh'), {
          env: { ...process.env, OSD: osd },
        });
    },
  };
}
