import { describeCloudContract } from './support/cloud-contract.js';
import type { CloudPeer } from './support/cloud-peer.js';
import { startMoto } from './support/moto.peer.js';

describeCloudContract('AWS EC2 on moto', startMoto);

describe('AWS EC2 adapter beyond the contract (moto)', () => {
  let peer: CloudPeer;
  beforeAll(async () => {
    peer = await startMoto();
  }, 60_000);
  afterAll(() => peer.stop());

  it('follows NextToken through every page of instance types', async () => {
    // the adapter asks for 100 per page; moto knows several hundred types
    const types = await peer.adapter().listInstanceTypes();
    expect(types.length).toBeGreaterThan(100);
    expect(new Set(types.map((t) => t.id)).size).toBe(types.length);
    expect(types.find((t) => t.id === 'm5.large')).toMatchObject({ cpu: 2, memoryMiB: 8192 });
  });
});
