import type { DataSource } from 'typeorm';
import { Fabric, FabricService } from '@switchyard/network-fabric';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';

let db: FabricTestDatabase;
let ds: DataSource;
let fabric: FabricService;
let addresses: Fabric;
let tenantId: string;

beforeAll(async () => {
  db = await createFabricDatabase();
  ds = await db.connect();
  fabric = new FabricService(ds);
  await fabric.apply('tenant', 'ip', { tenantName: 'ip' });
  addresses = new Fabric(ds);
  tenantId = await addresses.tenantIdOf('ip');
});
afterAll(async () => db.drop());

// `network` or `network:group`; answers `a.b.c.d/len`
const alloc = async (on: string, preferredIPv4?: string) => {
  const [network = '', group] = on.split(':');
  const got = await addresses.allocateAddress({ tenantId, network, group, preferredIPv4 });
  return `${got.ipv4}/${got.prefixLength}`;
};
const oper = async (kind: 'network' | 'endpointGroup', name: string) =>
  (await fabric.inspect(kind, 'ip', name)).Oper;

describe('network-level allocation', () => {
  beforeAll(async () => {
    await fabric.apply('network', 'ip', {
      networkName: 'n60',
      encap: 'vlan',
      subnet: '60.1.1.0/24',
      gateway: '60.1.1.254',
    });
  });

  it('hands out the lowest free address, never network, broadcast or gateway; released comes back first', async () => {
    expect(await addresses.allocateAddress({ tenantId, network: 'n60' })).toEqual({
      ipv4: '60.1.1.1',
      prefixLength: 24,
    });
    expect(await alloc('n60')).toBe('60.1.1.2/24');
    // Contiv's count: addresses handed out, not the gateway (issue 16; the list still shows it)
    expect(await oper('network', 'n60')).toMatchObject({
      allocatedAddressesCount: 2,
      allocatedIPAddresses: '60.1.1.1-60.1.1.2, 60.1.1.254',
      availableIPAddresses: '60.1.1.3-60.1.1.253',
    });
    await addresses.releaseAddress({ tenantId, network: 'n60', ipv4: '60.1.1.1/24' });
    expect(await alloc('n60')).toBe('60.1.1.1/24');
  });

  it('grants a free preferred address and refuses one outside the subnet or in use', async () => {
    expect(await alloc('n60', '60.1.1.100')).toBe('60.1.1.100/24');
    await expect(alloc('n60', '60.1.1.100')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '60.1.1.100 is already in use in network "n60"',
    });
    await expect(alloc('n60', '60.1.2.5')).rejects.toMatchObject({
      code: 'INVALID',
      details: { issues: [{ path: 'preferredIPv4' }] },
    });
    await expect(alloc('n60', '60.1.1.255')).rejects.toMatchObject({ code: 'INVALID' });
    await expect(alloc('n60', '60.1.1.254')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it("refuses releasing the gateway or a free address, and another tenant's network", async () => {
    await expect(
      addresses.releaseAddress({ tenantId, network: 'n60', ipv4: '60.1.1.254' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '60.1.1.254 is the gateway of network "n60"; it is released with its owner',
    });
    await expect(
      addresses.releaseAddress({ tenantId, network: 'n60', ipv4: '60.1.1.200' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      addresses.releaseAddress({ tenantId, network: 'n60', ipv4: '60.1.1' }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      details: { issues: [{ path: 'ipv4' }] },
    });
    const other = await addresses.tenantIdOf('default');
    await expect(addresses.allocateAddress({ tenantId: other, network: 'n60' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'network "n60" does not exist in tenant "default"',
    });
  });

  it('refuses deleting a network with allocated addresses', async () => {
    await expect(fabric.delete('network', 'ip', 'n60')).rejects.toMatchObject({
      code: 'IN_USE',
      message: 'network "n60" is used by 3 allocated addresses',
    });
  });
});

describe('ranged subnets, exhaustion, /31 and gateway rules', () => {
  it('uses only the range and names the subnet when exhausted', async () => {
    await fabric.apply('network', 'ip', {
      networkName: 'rng',
      encap: 'vlan',
      subnet: '70.1.1.10-70.1.1.12/24',
    });
    const got = [await alloc('rng'), await alloc('rng'), await alloc('rng')];
    expect(got).toEqual(['70.1.1.10/24', '70.1.1.11/24', '70.1.1.12/24']);
    await expect(alloc('rng')).rejects.toMatchObject({
      code: 'EXHAUSTED',
      message: 'no free address left in the subnet 70.1.1.0/24 (range 70.1.1.10-70.1.1.12) of network "rng"',
    });
    expect(await oper('network', 'rng')).toMatchObject({
      allocatedIPAddresses: '70.1.1.10-70.1.1.12',
      availableIPAddresses: '',
    });
  });

  it('refuses /31, /32 and a gateway equal to network or broadcast', async () => {
    for (const [subnet, gateway] of [
      ['80.1.1.0/31', ''],
      ['80.1.1.0/32', ''],
      ['80.1.1.0/24', '80.1.1.0'],
      ['80.1.1.0/24', '80.1.1.255'],
    ]) {
      await expect(
        fabric.apply('network', 'ip', { networkName: 'bad', encap: 'vlan', subnet, gateway }),
      ).rejects.toMatchObject({ code: 'INVALID' });
    }
  });
});

describe('group pools', () => {
  beforeAll(async () => {
    await fabric.apply('network', 'ip', {
      networkName: 'gp',
      encap: 'vlan',
      subnet: '90.1.1.0/24',
      gateway: '90.1.1.1',
    });
    await fabric.apply('endpointGroup', 'ip', {
      groupName: 'web',
      networkName: 'gp',
      ipPool: '90.1.1.2-90.1.1.4',
    });
  });

  it('draws group allocations from the pool only, and network ones around it', async () => {
    expect(await alloc('gp:web')).toBe('90.1.1.2/24');
    expect(await alloc('gp')).toBe('90.1.1.5/24');
    await alloc('gp:web');
    await alloc('gp:web');
    await expect(alloc('gp:web')).rejects.toMatchObject({
      code: 'EXHAUSTED',
      message: 'no free address left in the ipPool 90.1.1.2-90.1.1.4 of group "web"',
    });
    await expect(alloc('gp', '90.1.1.3')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /reserved for the ipPool of group "web"/,
    });
    expect(await oper('endpointGroup', 'web')).toMatchObject({
      allocatedAddressesCount: 3,
      allocatedIPAddresses: '90.1.1.2-90.1.1.4',
      availableIPAddresses: '',
    });
    expect(await oper('network', 'gp')).toMatchObject({
      allocatedIPAddresses: '90.1.1.1-90.1.1.5',
      availableIPAddresses: '90.1.1.6-90.1.1.254',
    });
  });

  it('refuses overlapping pools, pools outside the network and pools over taken addresses', async () => {
    await expect(
      fabric.apply('endpointGroup', 'ip', {
        groupName: 'db',
        networkName: 'gp',
        ipPool: '90.1.1.4-90.1.1.9',
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '90.1.1.4-90.1.1.9 overlaps ipPool 90.1.1.2-90.1.1.4 of group "web"',
    });
    await expect(
      fabric.apply('endpointGroup', 'ip', {
        groupName: 'db',
        networkName: 'gp',
        ipPool: '90.1.2.1-90.1.2.9',
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await expect(
      fabric.apply('endpointGroup', 'ip', {
        groupName: 'db',
        networkName: 'gp',
        ipPool: '90.1.1.5-90.1.1.9',
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /holds addresses already allocated .*: 90.1.1.5/,
    });
    expect(
      await fabric.apply('endpointGroup', 'ip', {
        groupName: 'db',
        networkName: 'gp',
        ipPool: '90.1.1.10-90.1.1.19',
      }),
    ).toMatchObject({ created: true });
  });
});

describe('endpoints and IPv6', () => {
  it('creates endpoints with MAC, v4 and v6, idempotently, and frees them on delete', async () => {
    await fabric.apply('network', 'ip', {
      networkName: 'dual',
      encap: 'vxlan',
      subnet: '100.1.1.0/24',
      ipv6Subnet: '2001:db8:1::/64',
      ipv6Gateway: '2001:db8:1::1',
    });
    await fabric.apply('endpointGroup', 'ip', { groupName: 'app', networkName: 'dual' });
    const req = { tenantId, network: 'dual', group: 'app', key: 'c1', host: 'h1' };
    const ep = await addresses.allocateEndpoint(req);
    expect(ep).toEqual({
      key: 'c1',
      tenantId,
      tenantName: 'ip',
      network: 'dual',
      group: 'app',
      ipv4: '100.1.1.1',
      ipv6: '2001:db8:1::2',
      mac: '02:02:64:01:01:01',
      host: 'h1',
      containerId: '',
      interfaceName: '',
    });
    expect(await addresses.allocateEndpoint(req)).toEqual(ep);
    expect(await addresses.endpoint({ tenantId, key: 'c1' })).toEqual(ep);
    await expect(addresses.allocateEndpoint({ ...req, group: '' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'endpoint "c1" exists in dual/app',
    });
    // inspect answers show endpoints in Contiv's EndpointOper shape
    expect(await oper('network', 'dual')).toMatchObject({
      numEndpoints: 1,
      endpoints: [
        {
          endpointID: 'c1',
          network: 'dual.ip',
          serviceName: 'app',
          endpointGroupKey: 'app:ip',
          ipAddress: ['100.1.1.1', '2001:db8:1::2'],
          macAddress: '02:02:64:01:01:01',
          homingHost: 'h1',
        },
      ],
    });
    expect(await fabric.inspectEndpointAnywhere(null, 'c1')).toMatchObject({
      Oper: { endpointID: 'c1', network: 'dual.ip', ipAddress: ['100.1.1.1', '2001:db8:1::2'] },
    });
    await expect(fabric.inspectEndpointAnywhere(['other'], 'c1')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(fabric.delete('endpointGroup', 'ip', 'app')).rejects.toMatchObject({
      message: 'endpointGroup "app" is used by 1 endpoint',
    });
    expect(await addresses.releaseEndpoint({ tenantId, key: 'c1' })).toBe(true);
    expect(await addresses.releaseEndpoint({ tenantId, key: 'c1' })).toBe(false);
    expect(await addresses.allocateEndpoint({ ...req, key: 'c2' })).toMatchObject({
      ipv4: '100.1.1.1',
      ipv6: '2001:db8:1::2',
    });
  });

  it('gives service LBs a VIP, preferred or lowest free, released on delete', async () => {
    await fabric.apply('serviceLB', 'ip', {
      serviceName: 'svc',
      networkName: 'dual',
      ipAddress: '100.1.1.50',
    });
    expect((await fabric.inspect('serviceLB', 'ip', 'svc')).Oper).toEqual({
      serviceVip: '100.1.1.50',
      numProviders: 0,
      providers: [],
    });
    await expect(
      fabric.apply('serviceLB', 'ip', { serviceName: 'svc2', networkName: 'dual', ipAddress: '100.1.1.50' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await fabric.delete('serviceLB', 'ip', 'svc');
    expect(await alloc('dual', '100.1.1.50')).toBe('100.1.1.50/24');
  });
});

describe('verdict through the store', () => {
  it('follows attach and detach at once', async () => {
    await fabric.apply('policy', 'ip', { policyName: 'lock' });
    await fabric.apply('rule', 'ip', {
      policyName: 'lock',
      ruleId: '1',
      direction: 'in',
      action: 'deny',
      priority: 1,
    });
    await fabric.apply('rule', 'ip', {
      policyName: 'lock',
      ruleId: '2',
      direction: 'in',
      action: 'allow',
      priority: 5,
      fromEndpointGroup: 'web',
      protocol: 'tcp',
      port: 443,
    });
    await fabric.apply('endpointGroup', 'ip', {
      groupName: 'db',
      networkName: 'gp',
      ipPool: '90.1.1.10-90.1.1.19',
      policies: ['lock'],
    });
    expect(await fabric.verdict('ip', { from: 'web', to: 'db', protocol: 'tcp', port: 443 })).toEqual({
      action: 'allow',
      decidedBy: { policy: 'lock', ruleId: '2', priority: 5, direction: 'in' },
    });
    expect(
      (await fabric.verdict('ip', { from: '90.1.1.5', to: '90.1.1.12', protocol: 'tcp', port: 443 })).action,
    ).toBe('deny');
    await fabric.apply('endpointGroup', 'ip', {
      groupName: 'db',
      networkName: 'gp',
      ipPool: '90.1.1.10-90.1.1.19',
    });
    expect(await fabric.verdict('ip', { from: 'web', to: 'db', protocol: 'tcp', port: 22 })).toEqual({
      action: 'allow',
      decidedBy: 'default allow',
    });
  });
});
