import type { DataSource } from 'typeorm';
import { FabricService } from '@switchyard/network-fabric';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';

let db: FabricTestDatabase;
let ds: DataSource;
let fabric: FabricService;

beforeAll(async () => {
  db = await createFabricDatabase();
  ds = await db.connect();
  fabric = new FabricService(ds);
  await fabric.apply('tenant', 'ip', { tenantName: 'ip' });
});
afterAll(async () => db.drop());

const alloc = (NetworkID: string, PreferredIPv4Address?: string) =>
  fabric.allocAddress('ip', { NetworkID, ...(PreferredIPv4Address ? { PreferredIPv4Address } : {}) });
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
    expect(await alloc('n60.ip')).toEqual({ NetworkID: 'n60.ip', IPv4Address: '60.1.1.1/24' });
    expect((await alloc('n60.ip')).IPv4Address).toBe('60.1.1.2/24');
    // Contiv's count: addresses handed out, not the gateway (issue 16; the list still shows it)
    expect(await oper('network', 'n60')).toMatchObject({
      allocatedAddressesCount: 2,
      allocatedIPAddresses: '60.1.1.1-60.1.1.2, 60.1.1.254',
      availableIPAddresses: '60.1.1.3-60.1.1.253',
    });
    await fabric.releaseAddress('ip', { NetworkID: 'n60.ip', IPv4Address: '60.1.1.1/24' });
    expect((await alloc('n60.ip')).IPv4Address).toBe('60.1.1.1/24');
  });

  it('grants a free preferred address and refuses one outside the subnet or in use', async () => {
    expect((await alloc('n60.ip', '60.1.1.100')).IPv4Address).toBe('60.1.1.100/24');
    await expect(alloc('n60.ip', '60.1.1.100')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '60.1.1.100 is already in use in network "n60"',
    });
    await expect(alloc('n60.ip', '60.1.2.5')).rejects.toMatchObject({
      code: 'INVALID',
      details: { issues: [{ path: 'PreferredIPv4Address' }] },
    });
    await expect(alloc('n60.ip', '60.1.1.255')).rejects.toMatchObject({ code: 'INVALID' });
    await expect(alloc('n60.ip', '60.1.1.254')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses releasing the gateway or a free address, and a NetworkID of another tenant', async () => {
    await expect(
      fabric.releaseAddress('ip', { NetworkID: 'n60.ip', IPv4Address: '60.1.1.254' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      fabric.releaseAddress('ip', { NetworkID: 'n60.ip', IPv4Address: '60.1.1.200' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fabric.allocAddress('ip', { NetworkID: 'n60.default' })).rejects.toMatchObject({
      code: 'INVALID',
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
    const got = [await alloc('rng.ip'), await alloc('rng.ip'), await alloc('rng.ip')].map(
      (r) => r.IPv4Address,
    );
    expect(got).toEqual(['70.1.1.10/24', '70.1.1.11/24', '70.1.1.12/24']);
    await expect(alloc('rng.ip')).rejects.toMatchObject({
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
    expect((await alloc('gp:web.ip')).IPv4Address).toBe('90.1.1.2/24');
    expect((await alloc('gp.ip')).IPv4Address).toBe('90.1.1.5/24');
    await alloc('gp:web.ip');
    await alloc('gp:web.ip');
    await expect(alloc('gp:web.ip')).rejects.toMatchObject({
      code: 'EXHAUSTED',
      message: 'no free address left in the ipPool 90.1.1.2-90.1.1.4 of group "web"',
    });
    await expect(alloc('gp.ip', '90.1.1.3')).rejects.toMatchObject({
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
    const req = {
      TenantName: 'ip',
      NetworkName: 'dual',
      ServiceName: 'app',
      EndpointID: 'c1',
      HomingHost: 'h1',
    };
    const ep = await fabric.createEndpoint('ip', req);
    expect(ep).toEqual({
      endpointID: 'c1',
      tenantName: 'ip',
      networkName: 'dual',
      serviceName: 'app',
      ipAddress: ['100.1.1.1', '2001:db8:1::2'],
      macAddress: '02:02:64:01:01:01',
      homingHost: 'h1',
      containerID: '',
      intfName: '',
    });
    expect(await fabric.createEndpoint('ip', req)).toEqual(ep);
    expect(await fabric.inspectEndpoint('ip', 'c1')).toEqual(ep);
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
    await fabric.deleteEndpoint('ip', { EndpointID: 'c1' });
    expect((await fabric.createEndpoint('ip', { ...req, EndpointID: 'c2' })).ipAddress).toEqual([
      '100.1.1.1',
      '2001:db8:1::2',
    ]);
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
    expect(
      (await fabric.allocAddress('ip', { NetworkID: 'dual.ip', PreferredIPv4Address: '100.1.1.50' }))
        .IPv4Address,
    ).toBe('100.1.1.50/24');
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
