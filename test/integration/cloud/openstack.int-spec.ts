import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudErrorCode, OpenStackAdapter, type OpenStackAdapterOptions } from '@switchyard/cloud-adapters';
import { describeCloudContract } from './support/cloud-contract.js';
import type { CloudPeer } from './support/cloud-peer.js';
import { FaultProxy } from './support/fault-proxy.js';
import { openStackApi, openStackLogin } from './support/openstack-api.js';
import { openStackAvailability, startOpenStack, stopOpenStack } from './support/openstack.peer.js';
import { makeTestPki, type TestPki } from './support/test-pki.js';
import { gate } from '../../support/skips.js';

// decided before the tests are registered: without OpenStack they are skipped, not passed
const withOpenStack = gate(await openStackAvailability());

afterAll(stopOpenStack, 120_000);

describeCloudContract(
  'OpenStack (real Keystone, Nova, Neutron, Glance)',
  startOpenStack,
  withOpenStack.describe,
);

async function requireOpenStack(): Promise<CloudPeer> {
  const peer = await startOpenStack();
  if (!peer) throw new Error('OpenStack was expected here but did not start');
  return peer;
}

// Keystone as admin, for setting up what the adapter is then tested with
async function keystone(authUrl: string): Promise<{ token: string; userId: string; neutron: string }> {
  const os = await openStackApi(openStackLogin(authUrl));
  return { token: os.token, userId: os.userId, neutron: (os.catalog.network ?? '').replace(/\/$/, '') };
}

withOpenStack.describe('OpenStack adapter beyond the contract (real Keystone)', () => {
  let peer: CloudPeer;
  beforeAll(async () => {
    peer = await requireOpenStack();
  }, 600_000);

  it('authenticates with an application credential, and refuses a wrong secret', async () => {
    const authUrl = peer.endpoint;
    const { token, userId } = await keystone(authUrl);
    const res = await fetch(`${authUrl}/users/${userId}/application_credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: JSON.stringify({ application_credential: { name: `sy-test-${randomUUID().slice(0, 8)}` } }),
    });
    expect(res.status).toBe(201);
    const { application_credential: cred } = (await res.json()) as {
      application_credential: { id: string; secret: string };
    };
    try {
      const adapter = new OpenStackAdapter({
        authUrl,
        credentials: { kind: 'application-credential', id: cred.id, secret: cred.secret },
      });
      await expect(adapter.validateCredentials()).resolves.toBeUndefined();
      expect((await adapter.listInstanceTypes()).map((t) => t.name)).toContain('m1.tiny');
      const wrong = new OpenStackAdapter({
        authUrl,
        credentials: { kind: 'application-credential', id: cred.id, secret: 'not-the-secret' },
      });
      await expect(wrong.validateCredentials()).rejects.toMatchObject({
        code: CloudErrorCode.AuthFailed,
        httpStatus: 401,
      });
    } finally {
      await fetch(`${authUrl}/users/${userId}/application_credentials/${cred.id}`, {
        method: 'DELETE',
        headers: { 'x-auth-token': token },
      });
    }
  }, 60_000);

  it('deletes with a network the ports failed creates left on it, and no other port', async () => {
    const adapter = peer.adapter();
    const { token, neutron } = await keystone(peer.endpoint);
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${neutron}${path}`, {
        method,
        headers: { 'x-auth-token': token, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };
    const run = randomUUID().slice(0, 8);
    const network = await adapter.ensureNetwork({ name: `sy-leftovers-${run}`, cidr: '10.46.0.0/24' });
    const port = (name: string) =>
      api<{ port: { id: string } }>('POST', '/v2.0/ports', { port: { name, network_id: network.id } });
    const portNames = async () =>
      (
        await api<{ ports: Array<{ name: string }> }>('GET', `/v2.0/ports?network_id=${network.id}`)
      ).ports.map((p) => p.name);
    // what a create leaves when it fails between its port and its server
    await port(`sy-${run}-web-0`);
    const foreign = await port(`not-switchyard-${run}`);
    try {
      await expect(adapter.deleteNetwork(network.id)).rejects.toMatchObject({
        code: CloudErrorCode.InUse,
        cloudCode: 'NetworkInUse',
        httpStatus: 409,
      });
      // ours went first; the foreign one stays (and so may a DHCP port)
      const left = await portNames();
      expect(left).toContain(`not-switchyard-${run}`);
      expect(left).not.toContain(`sy-${run}-web-0`);
    } finally {
      await api('DELETE', `/v2.0/ports/${foreign.port.id}`);
    }
    await adapter.deleteNetwork(network.id);
    await expect(api('GET', `/v2.0/networks/${network.id}`)).rejects.toThrow(/HTTP 404/);
  }, 60_000);

  it('fails fast and clearly when the fixed address is taken', async () => {
    const adapter = peer.adapter();
    const network = await adapter.ensureNetwork({ name: 'sy-conflict', cidr: '10.45.0.0/24' });
    const base = {
      instanceType: peer.fixtures.instanceType,
      image: peer.fixtures.image,
      network: network.id,
      privateIp: '10.45.0.20',
      tags: { 'switchyard:deployment': 'conflict' },
    };
    const first = await adapter.createInstance({ ...base, idempotencyKey: 'conflict-a', name: 'conflict-a' });
    try {
      await expect(
        adapter.createInstance({ ...base, idempotencyKey: 'conflict-b', name: 'conflict-b' }),
      ).rejects.toMatchObject({ code: CloudErrorCode.InvalidRequest, httpStatus: 409 });
    } finally {
      await adapter.terminateInstance(first.id);
    }
  }, 120_000);

  it('reports a VLAN for a VLAN network only, not the VXLAN segment of a tenant network', async () => {
    const adapter = peer.adapter();
    const vlan = await adapter.ensureNetwork({ name: 'sy-segment-vlan', cidr: '10.47.0.0/24', vlan: 143 });
    const vxlan = await adapter.ensureNetwork({ name: 'sy-segment-vxlan', cidr: '10.47.1.0/24' });
    try {
      expect(vlan.vlan).toBe(143);
      expect(vxlan).not.toHaveProperty('vlan');
    } finally {
      await adapter.deleteNetwork(vlan.id);
      await adapter.deleteNetwork(vxlan.id);
    }
  }, 60_000);
});

withOpenStack.describe('OpenStack behind TLS signed by a private CA (real Keystone, Nova, Neutron)', () => {
  let peer: CloudPeer;
  let dir = '';
  let pki: TestPki;
  let proxy: FaultProxy;
  let base: OpenStackAdapterOptions;
  const open: OpenStackAdapter[] = [];
  // the proxy serves https with a certificate of the test's CA, and forwards to the plain-http peer
  const adapter = (tls: Partial<OpenStackAdapterOptions>) => {
    const a = new OpenStackAdapter({ ...base, ...tls });
    open.push(a);
    return a;
  };
  const noRetry = { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 };

  beforeAll(async () => {
    peer = await requireOpenStack();
    dir = mkdtempSync(join(tmpdir(), 'sy-openstack-tls-'));
    pki = makeTestPki(dir);
    const authUrl = peer.endpoint;
    const { catalog } = await openStackApi(openStackLogin(authUrl));
    proxy = await FaultProxy.start({
      target: authUrl,
      routes: { identity: authUrl, ...catalog },
      tls: { cert: pki.cert, key: pki.key },
    });
    const via = (name: string) => `${proxy.url}/${name}`;
    const login = openStackLogin(authUrl);
    base = {
      authUrl: via('identity'),
      credentials: {
        kind: 'password',
        username: login.username,
        password: login.password,
        project: login.project,
      },
      endpointOverrides: {
        identity: via('identity'),
        compute: via('compute'),
        network: via('network'),
        image: via('image'),
      },
    };
  }, 600_000);

  beforeEach(() => proxy?.clear());

  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close()));
  });

  afterAll(async () => {
    await proxy?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trusts the account’s CA: validates, lists flavors, makes and deletes a network over https', async () => {
    expect(proxy.url).toMatch(/^https:/);
    const cloud = adapter({ caCert: pki.ca });
    await expect(cloud.validateCredentials()).resolves.toBeUndefined();
    expect((await cloud.listInstanceTypes()).map((t) => t.name)).toContain('m1.tiny');
    // a body sent (POST) and an empty answer (204) through the same client
    const network = await cloud.ensureNetwork({
      name: `sy-tls-${randomUUID().slice(0, 8)}`,
      cidr: '10.48.0.0/24',
    });
    await cloud.deleteNetwork(network.id);
    const seen = proxy.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'POST /identity/auth/tokens',
        'GET /compute/flavors/detail',
        'POST /network/v2.0/networks',
        `DELETE /network/v2.0/networks/${network.id}`,
      ]),
    );
  }, 120_000);

  it('refuses the certificate without the CA, and with another CA, before sending anything', async () => {
    const refused = {
      code: CloudErrorCode.InvalidRequest,
      cloudCode: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|CERT/),
      message: expect.stringMatching(
        /TLS certificate of https:\/\/127\.0\.0\.1:\d+\/identity.*configure caCert/,
      ),
      retryable: false,
    };
    await expect(adapter({}).validateCredentials()).rejects.toMatchObject(refused);
    await expect(adapter({ caCert: pki.otherCa }).validateCredentials()).rejects.toMatchObject(refused);
    // no password went to a server that could not prove who it is
    expect(proxy.requests).toEqual([]);
  }, 60_000);

  it('skips verification only when the account says insecure', async () => {
    const cloud = adapter({ insecure: true });
    await expect(cloud.validateCredentials()).resolves.toBeUndefined();
    expect((await cloud.listInstanceTypes()).map((t) => t.name)).toContain('m1.tiny');
    expect(proxy.requests.length).toBeGreaterThan(1);
  }, 60_000);

  it('gives up on a hung answer after the request timeout, over its own TLS client too', async () => {
    const cloud = adapter({ caCert: pki.ca, requestTimeoutMs: 1_500, retry: noRetry });
    await cloud.validateCredentials();
    proxy.inject({ kind: 'hang' }, 1, (r) => r.path.startsWith('/compute/flavors'));
    const started = Date.now();
    await expect(cloud.listInstanceTypes()).rejects.toMatchObject({
      code: CloudErrorCode.Unavailable,
      cloudCode: 'ETIMEDOUT',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(proxy.faulted('hang')).toHaveLength(1);
  }, 60_000);
});
