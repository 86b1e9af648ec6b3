import { randomUUID } from 'node:crypto';
import { CloudErrorCode, OpenStackAdapter } from '@switchyard/cloud-adapters';
import { describeCloudContract } from './support/cloud-contract.js';
import type { CloudPeer } from './support/cloud-peer.js';
import { openStackApi, openStackLogin } from './support/openstack-api.js';
import { startOpenStack, stopOpenStack } from './support/openstack.peer.js';

afterAll(stopOpenStack, 120_000);

describeCloudContract('OpenStack (real Keystone, Nova, Neutron, Glance)', startOpenStack);

// Keystone as admin, for setting up what the adapter is then tested with
async function keystone(authUrl: string): Promise<{ token: string; userId: string; neutron: string }> {
  const os = await openStackApi(openStackLogin(authUrl));
  return { token: os.token, userId: os.userId, neutron: (os.catalog.network ?? '').replace(/\/$/, '') };
}

describe('OpenStack adapter beyond the contract (real Keystone)', () => {
  let peer: CloudPeer | null = null;
  beforeAll(async () => {
    peer = await startOpenStack();
  }, 600_000);

  it('authenticates with an application credential, and refuses a wrong secret', async () => {
    if (!peer) return console.warn('SKIPPED (OpenStack peer not available): application credentials');
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
    if (!peer) return console.warn('SKIPPED (OpenStack peer not available): leftover ports');
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
    if (!peer) return console.warn('SKIPPED (OpenStack peer not available): address conflict');
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
    if (!peer) return console.warn('SKIPPED (OpenStack peer not available): network segments');
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
