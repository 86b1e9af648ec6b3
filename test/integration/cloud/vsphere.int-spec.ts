import { CloudErrorCode, VsphereAdapter, switchyardTags } from '@switchyard/cloud-adapters';
import { describeCloudContract } from './support/cloud-contract.js';
import type { CloudPeer } from './support/cloud-peer.js';
import { startVcsim } from './support/vcsim.peer.js';

describeCloudContract('vSphere on vcsim', startVcsim);

describe('vSphere adapter beyond the contract (vcsim)', () => {
  let peer: CloudPeer;
  beforeAll(async () => {
    peer = await startVcsim();
  }, 300_000);
  afterAll(() => peer.stop());

  it('refuses an unknown certificate with a clear, non-retried error, and accepts it when told', async () => {
    const opts = { url: peer.endpoint, username: 'switchyard', password: 'vcsim-secret' };
    const strict = new VsphereAdapter(opts);
    const started = Date.now();
    await expect(strict.validateCredentials()).rejects.toMatchObject({
      code: CloudErrorCode.InvalidRequest,
      cloudMessage: expect.stringContaining('configure caCert or insecure'),
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    const insecure = new VsphereAdapter({ ...opts, insecure: true });
    await expect(insecure.validateCredentials()).resolves.toBeUndefined();
    await insecure.close();
  });

  it('creates a VM from scratch (guest:<id>) into the folder and pool, on the port group', async () => {
    const adapter = peer.adapter();
    const network = await adapter.ensureNetwork({ name: 'sy-scratch', cidr: '10.44.0.0/24', vlan: 44 });
    expect(network).toMatchObject({ cidr: '10.44.0.0/24', vlan: 44 });
    const tags = switchyardTags('scratch', 'db', 1);
    const vm = await adapter.createInstance({
      idempotencyKey: 'scratch-db-1',
      name: 'scratch-db-1',
      instanceType: 'medium',
      image: 'guest:otherLinux64Guest',
      network: network.id,
      privateIp: '10.44.0.7',
      tags,
    });
    expect(await adapter.waitForState(vm.id, 'running', { timeoutMs: 10_000 })).toMatchObject({
      instanceType: 'medium',
      image: 'guest:otherLinux64Guest',
      privateIp: '10.44.0.7',
      tags,
    });
    await adapter.terminateInstance(vm.id);
    await adapter.waitForState(vm.id, 'terminated', { timeoutMs: 10_000 });
  });
});
