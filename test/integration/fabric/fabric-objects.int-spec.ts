import type { DataSource } from 'typeorm';
import { FabricErrorCode, FabricService } from '@switchyard/network-fabric';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';

let db: FabricTestDatabase;
let ds: DataSource;
let fabric: FabricService;

beforeAll(async () => {
  db = await createFabricDatabase();
  ds = await db.connect();
  fabric = new FabricService(ds);
  await fabric.ensureDefaultTenant();
});
afterAll(async () => db.drop());

const net = (tenant: string, networkName: string, extra: Record<string, unknown> = {}) =>
  fabric.apply('network', tenant, {
    tenantName: tenant,
    networkName,
    encap: 'vlan',
    subnet: '10.1.1.0/24',
    ...extra,
  });

describe('tenants', () => {
  it('has tenant default, which cannot be deleted', async () => {
    expect(await fabric.get('tenant', 'default')).toEqual({ tenantName: 'default', defaultNetwork: '' });
    await expect(fabric.delete('tenant', 'default')).rejects.toMatchObject({
      code: FabricErrorCode.Conflict,
    });
  });

  it('creates a tenant once; repeating is a no-op; it is a Switchyard tenant', async () => {
    expect(await fabric.apply('tenant', 'acme', { tenantName: 'acme' })).toMatchObject({
      created: true,
      changed: true,
    });
    expect(await fabric.apply('tenant', 'acme', { tenantName: 'acme' })).toMatchObject({
      created: false,
      changed: false,
    });
    const rows = await ds.query(`SELECT name FROM tenants WHERE name = 'acme'`);
    expect(rows).toHaveLength(1);
    expect((await fabric.listAll('tenant')).map((t) => t.tenantName)).toEqual(
      expect.arrayContaining(['acme', 'default']),
    );
  });

  it('refuses a body for another tenant and names bad fields', async () => {
    await expect(
      fabric.apply('network', 'acme', { tenantName: 'other', networkName: 'n' }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      details: { issues: [{ path: 'tenantName', message: 'must be "acme", the tenant of the request' }] },
    });
    await expect(
      fabric.apply('network', 'acme', { networkName: 'a_b', encap: 'x', subnet: '1.1.1.0/32' }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      details: {
        issues: expect.arrayContaining([
          expect.objectContaining({ path: 'networkName' }),
          expect.objectContaining({ path: 'encap' }),
          expect.objectContaining({ path: 'subnet' }),
        ]),
      },
    });
  });

  it('needs the tenant to exist', async () => {
    await expect(net('ghost', 'n1')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'tenant "ghost" does not exist',
    });
  });
});

describe('networks', () => {
  beforeAll(async () => {
    await fabric.apply('tenant', 't1', { tenantName: 't1' });
    await fabric.apply('tenant', 't2', { tenantName: 't2' });
  });

  it('creates, repeats as a no-op, refuses immutable changes, allows mutable ones', async () => {
    expect(await net('t1', 'n1', { gateway: '10.1.1.254' })).toMatchObject({ created: true });
    expect(await net('t1', 'n1', { gateway: '10.1.1.254' })).toMatchObject({
      created: false,
      changed: false,
    });
    await expect(net('t1', 'n1', { gateway: '10.1.1.1', encap: 'vxlan' })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: {
        issues: [expect.objectContaining({ path: 'encap' }), expect.objectContaining({ path: 'gateway' })],
      },
    });
    expect(await net('t1', 'n1', { gateway: '10.1.1.254', cfgdTag: 'blue' })).toMatchObject({
      changed: true,
    });
    expect((await fabric.get('network', 't1', 'n1')).cfgdTag).toBe('blue');
  });

  it('refuses overlapping subnets in one tenant (v4 and v6) but not across tenants', async () => {
    await expect(net('t1', 'n2', { subnet: '10.1.0.0/16' })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { issues: [{ path: 'subnet', message: '10.1.0.0/16 overlaps 10.1.1.0/24 of network "n1"' }] },
    });
    expect(await net('t2', 'n1')).toMatchObject({ created: true });
    await net('t1', 'v6a', { subnet: '10.2.0.0/24', ipv6Subnet: '2001:db8::/64' });
    await expect(
      net('t1', 'v6b', { subnet: '10.3.0.0/24', ipv6Subnet: '2001:db8::/48' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      details: {
        issues: [{ path: 'ipv6Subnet', message: '2001:db8::/48 overlaps 2001:db8::/64 of network "v6a"' }],
      },
    });
  });

  it('keeps group and network names apart', async () => {
    await fabric.apply('endpointGroup', 't1', { groupName: 'g1', networkName: 'n1' });
    await expect(net('t1', 'g1', { subnet: '10.9.0.0/24' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /endpoint group named "g1"/,
    });
    await expect(
      fabric.apply('endpointGroup', 't1', { groupName: 'n1', networkName: 'n1' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /a network named "n1"/,
    });
    await fabric.delete('endpointGroup', 't1', 'g1');
  });
});

describe('references and delete order', () => {
  beforeAll(async () => {
    await fabric.apply('tenant', 'r', { tenantName: 'r' });
    await net('r', 'net1');
  });

  it('requires referenced objects to exist, naming each missing one', async () => {
    await expect(
      fabric.apply('endpointGroup', 'r', {
        groupName: 'g',
        networkName: 'net1',
        policies: ['p1', 'p2'],
        netProfile: 'np',
      }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      details: {
        issues: [
          { path: 'policies[0]', message: 'policy "p1" does not exist in tenant "r"' },
          { path: 'policies[1]', message: 'policy "p2" does not exist in tenant "r"' },
          { path: 'netProfile', message: 'netprofile "np" does not exist in tenant "r"' },
        ],
      },
    });
  });

  it('refuses deletes while something depends, saying what and how many', async () => {
    await fabric.apply('policy', 'r', { policyName: 'p1' });
    await fabric.apply('netprofile', 'r', { profileName: 'np', bandwidth: '10 Gbps', DSCP: 10 });
    await fabric.apply('endpointGroup', 'r', {
      groupName: 'g',
      networkName: 'net1',
      policies: ['p1'],
      netProfile: 'np',
    });
    await fabric.apply('endpointGroup', 'r', { groupName: 'h', networkName: 'net1' });
    await fabric.apply('serviceLB', 'r', {
      serviceName: 's',
      networkName: 'net1',
      ports: ['80:8080:TCP'],
      selectors: ['app=web'],
    });
    await fabric.apply('appProfile', 'r', { appProfileName: 'app', endpointGroups: ['g'] });
    await expect(fabric.delete('network', 'r', 'net1')).rejects.toMatchObject({
      code: 'IN_USE',
      message: 'network "net1" is used by 2 endpoint groups, 1 service LB',
      details: { dependents: { 'endpoint groups': 2, 'service LBs': 1 } },
    });
    await expect(fabric.delete('policy', 'r', 'p1')).rejects.toMatchObject({
      message: 'policy "p1" is used by 1 endpoint group',
    });
    await expect(fabric.delete('netprofile', 'r', 'np')).rejects.toMatchObject({ code: 'IN_USE' });
    await expect(fabric.delete('endpointGroup', 'r', 'g')).rejects.toMatchObject({
      message: 'endpointGroup "g" is used by 1 app profile',
    });
    await expect(fabric.delete('tenant', 'r')).rejects.toMatchObject({
      code: 'IN_USE',
      message:
        'tenant "r" still has 1 network, 2 endpoint groups, 1 policy, 1 app profile, 1 netprofile, 1 service LB',
    });
  });

  it('deletes in dependency order; a policy takes its rules', async () => {
    await fabric.apply('rule', 'r', { policyName: 'p1', ruleId: '1', direction: 'in', action: 'deny' });
    await fabric.delete('appProfile', 'r', 'app');
    await fabric.apply('endpointGroup', 'r', { groupName: 'g', networkName: 'net1' });
    for (const [kind, name] of [
      ['endpointGroup', 'g'],
      ['endpointGroup', 'h'],
      ['serviceLB', 's'],
      ['policy', 'p1'],
      ['netprofile', 'np'],
      ['network', 'net1'],
    ] as const) {
      await fabric.delete(kind, 'r', name);
    }
    expect(await fabric.list('rule', 'r')).toEqual([]);
    await fabric.delete('tenant', 'r');
    await expect(fabric.get('tenant', 'r')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rules need their policy and refuse changes', async () => {
    await fabric.apply('tenant', 'r2', { tenantName: 'r2' });
    await expect(
      fabric.apply('rule', 'r2', { policyName: 'nope', ruleId: '1', direction: 'in', action: 'allow' }),
    ).rejects.toMatchObject({
      details: { issues: [{ path: 'policyName', message: 'policy "nope" does not exist in tenant "r2"' }] },
    });
    await fabric.apply('policy', 'r2', { policyName: 'p' });
    await fabric.apply('rule', 'r2', {
      policyName: 'p',
      ruleId: '1',
      direction: 'in',
      action: 'allow',
      priority: 0,
    });
    expect((await fabric.get('rule', 'r2', 'p:1')).priority).toBe(1);
    await expect(
      fabric.apply('rule', 'r2', { policyName: 'p', ruleId: '1', direction: 'in', action: 'deny' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

describe('tags and global', () => {
  beforeAll(async () => {
    await fabric.apply('tenant', 'ta', { tenantName: 'ta' });
    await fabric.apply('tenant', 'tb', { tenantName: 'tb' });
  });

  it('takes the lowest free tag across tenants, a requested free one, and frees on delete', async () => {
    await fabric.apply('network', 'ta', {
      networkName: 'a1',
      encap: 'vlan',
      subnet: '10.10.1.0/24',
      pktTag: 100,
    });
    await expect(
      fabric.apply('network', 'tb', {
        networkName: 'b1',
        encap: 'vlan',
        subnet: '10.10.1.0/24',
        pktTag: 100,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'vlan 100 is in use by network ta:a1' });
    const first = (await fabric.inspect('global', '')).Oper.vlansInUse as string;
    await fabric.apply('network', 'tb', { networkName: 'b1', encap: 'vlan', subnet: '10.10.1.0/24' });
    const tagB1 = (await fabric.inspect('network', 'tb', 'b1')).Oper.pktTag as number;
    expect(tagB1).toBeLessThan(100);
    expect((await fabric.inspect('global', '')).Oper.vlansInUse).not.toBe(first);
    await fabric.delete('network', 'tb', 'b1');
    await fabric.apply('network', 'tb', { networkName: 'b2', encap: 'vlan', subnet: '10.10.2.0/24' });
    expect((await fabric.inspect('network', 'tb', 'b2')).Oper.pktTag).toBe(tagB1);
  });

  it('gives vxlan networks a vxlan id and a local VLAN', async () => {
    await fabric.apply('network', 'ta', {
      networkName: 'x1',
      encap: 'vxlan',
      subnet: '10.20.0.0/24',
      pktTag: 5000,
    });
    // Contiv's tags (issue 16): externalPktTag is the VXLAN id, pktTag the local VLAN
    const oper = (await fabric.inspect('network', 'ta', 'x1')).Oper;
    expect(oper.externalPktTag).toBe(5000);
    expect(oper.localVlan).toEqual(expect.any(Number));
    expect(oper.pktTag).toBe(oper.localVlan);
  });

  it('refuses a tag outside the configured range, and range changes that strand tags', async () => {
    await expect(
      fabric.apply('network', 'ta', {
        networkName: 'x2',
        encap: 'vxlan',
        subnet: '10.21.0.0/24',
        pktTag: 20000,
      }),
    ).rejects.toMatchObject({
      code: 'INVALID',
      details: {
        issues: [{ path: 'pktTag', message: 'vxlan 20000 is outside the configured vxlans range 1-10000' }],
      },
    });
    const global = await fabric.get('global', '');
    await expect(
      fabric.apply('global', '', { ...global, vlans: '1-50', vxlans: '6000-7000' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      details: {
        issues: [
          {
            path: 'vlans',
            message: expect.stringMatching(/^range 1-50 does not cover vlan tags in use: .*100/),
          },
          { path: 'vxlans', message: 'range 6000-7000 does not cover vxlan tags in use: 5000' },
        ],
      },
    });
    await expect(fabric.apply('global', '', { ...global, fwdMode: 'routing' })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: {
        issues: [
          {
            path: 'fwdMode',
            message: expect.stringMatching(/^cannot change while \d+ networks exist \(\d+ vlan, 1 vxlan\)/),
          },
        ],
      },
    });
    expect(await fabric.apply('global', '', { ...global, vlans: '1-4000' })).toMatchObject({ changed: true });
    expect(await fabric.apply('global', '', { ...global, vlans: '1-4000' })).toMatchObject({
      changed: false,
    });
  });
});
