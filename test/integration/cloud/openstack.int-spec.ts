import { randomUUID } from 'node:crypto';
import { CloudErrorCode, OpenStackAdapter } from '@switchyard/cloud-adapters';
import { describeCloudContract } from './support/cloud-contract.js';
import type { CloudPeer } from './support/cloud-peer.js';
import { startOpenStack, stopOpenStack } from './support/openstack.peer.js';

afterAll(stopOpenStack, 120_000);

describeCloudContract('OpenStack (real Keystone, Nova, Neutron, Glance)', startOpenStack);

// Keystone as admin, for setting up what the adapter is then tested with
async function keystone(authUrl: string): Promise<{ token: string; userId: string }> {
  const res = await fetch(`${authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: {
              name: process.env.OS_USERNAME ?? 'admin',
              domain: { name: 'Default' },
              password: process.env.OS_PASSWORD ?? 'secret',
            },
          },
        },
        scope: { project: { name: process.env.OS_PROJECT_NAME ?? 'admin', domain: { name: 'Default' } } },
      },
    }),
  });
  const body = (await res.json()) as { token: { user: { id: string } } };
  return { token: res.headers.get('x-subject-token') ?? '', userId: body.token.user.id };
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
});
