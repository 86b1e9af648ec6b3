import type { DataSource } from 'typeorm';
import { type DeploymentSubnet, Fabric, FabricService, type SubnetClaims } from '@switchyard/network-fabric';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';

// The typed API the worker uses: deployment networks cut from an address pool, groups, policies
// compiled for cloud security groups, and their removal.
let db: FabricTestDatabase;
let ds: DataSource;
let fabric: Fabric;
let objects: FabricService;
let tenantId: string;
let otherTenantId: string;

/** Claims of an address space kept in memory: what other deployments hold, and what was recorded. */
function claims(heldElsewhere: string[] = []): SubnetClaims & { recorded: DeploymentSubnet[] } {
  const recorded: DeploymentSubnet[] = [];
  return {
    recorded,
    heldElsewhere: async () => [...heldElsewhere],
    record: async (_em, subnet) => {
      recorded.push(subnet);
    },
  };
}

beforeAll(async () => {
  db = await createFabricDatabase();
  ds = await db.connect();
  fabric = new Fabric(ds);
  objects = new FabricService(ds);
  await objects.apply('tenant', 'dep', { tenantName: 'dep' });
  await objects.apply('tenant', 'dep2', { tenantName: 'dep2' });
  tenantId = await fabric.tenantIdOf('dep');
  otherTenantId = await fabric.tenantIdOf('dep2');
});
afterAll(async () => db.drop());

describe('ensureDeploymentNetwork', () => {
  it('cuts the lowest free /24 past the tenant networks and the claims, records it, and finds it again', async () => {
    await objects.apply('network', 'dep', { networkName: 'own', encap: 'vlan', subnet: '10.50.0.0/24' });
    const space = claims(['10.50.1.0/24']);
    const request = { tenantId, network: 'd1-aws', addressPool: '10.50.0.0/16', addressSpace: 'acct-1' };
    const made = await fabric.ensureDeploymentNetwork(request, space);
    expect(made).toEqual({ network: 'd1-aws', cidr: '10.50.2.0/24', gateway: '10.50.2.1' });
    expect(space.recorded).toEqual([made]);
    expect(await objects.get('network', 'dep', 'd1-aws')).toMatchObject({
      encap: 'vxlan',
      subnet: '10.50.2.10-10.50.2.250/24',
      gateway: '10.50.2.1',
    });
    const again = claims();
    expect(await fabric.ensureDeploymentNetwork(request, again)).toEqual(made);
    expect(again.recorded).toEqual([]);
  });

  it('gives networks cut together in one address space distinct blocks', async () => {
    // each records its block in a shared list the others read, as deployments record theirs
    const held: string[] = [];
    const shared: SubnetClaims = {
      heldElsewhere: async () => [...held],
      record: async (_em, subnet) => {
        held.push(subnet.cidr);
      },
    };
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fabric.ensureDeploymentNetwork(
          {
            tenantId: otherTenantId,
            network: `race-${i}`,
            addressPool: '10.60.0.0/16',
            addressSpace: 'acct-2',
          },
          shared,
        ),
      ),
    );
    expect(new Set(made.map((m) => m.cidr)).size).toBe(6);
    expect(made.map((m) => m.cidr).sort()).toEqual([
      '10.60.0.0/24',
      '10.60.1.0/24',
      '10.60.2.0/24',
      '10.60.3.0/24',
      '10.60.4.0/24',
      '10.60.5.0/24',
    ]);
  });

  it('gives networks of one tenant cut together from different address spaces distinct blocks', async () => {
    // an OpenStack and a vSphere account each: their claims are their own, the tenant's are shared
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fabric.ensureDeploymentNetwork(
          {
            tenantId: otherTenantId,
            network: `spaces-${i}`,
            addressPool: '10.61.0.0/16',
            addressSpace: `acct-space-${i}`,
          },
          claims(),
        ),
      ),
    );
    expect(made.map((m) => m.cidr).sort()).toEqual([
      '10.61.0.0/24',
      '10.61.1.0/24',
      '10.61.2.0/24',
      '10.61.3.0/24',
      '10.61.4.0/24',
      '10.61.5.0/24',
    ]);
  });

  it('answers EXHAUSTED, naming the pool, when no /24 is left', async () => {
    await expect(
      fabric.ensureDeploymentNetwork(
        { tenantId, network: 'full', addressPool: '10.70.0.0/24', addressSpace: 'acct-3' },
        claims(['10.70.0.0/24']),
      ),
    ).rejects.toMatchObject({
      code: 'EXHAUSTED',
      message: 'address pool 10.70.0.0/24 is full',
      details: { addressPool: '10.70.0.0/24' },
    });
  });
});

describe('groups, policies and their security-group rules', () => {
  beforeAll(async () => {
    const space = claims();
    for (const env of ['aws', 'vsphere']) {
      await fabric.ensureDeploymentNetwork(
        { tenantId, network: `d2-${env}`, addressPool: '10.80.0.0/16', addressSpace: `acct-${env}` },
        space,
      );
    }
    await fabric.ensureEndpointGroup({ tenantId, group: 'd2-web', network: 'd2-aws' });
    await fabric.ensureEndpointGroup({ tenantId, group: 'd2-db', network: 'd2-vsphere' });
  });

  it('applies a whitelist and compiles it in the order it was given, groups as their network block', async () => {
    const rules = [
      {
        ruleId: 'c1-tcp-5432',
        direction: 'in' as const,
        priority: 10,
        action: 'allow' as const,
        protocol: 'tcp',
        port: 5432,
        fromEndpointGroup: 'd2-web',
      },
      {
        ruleId: 'c0-any',
        direction: 'in' as const,
        priority: 10,
        action: 'allow' as const,
        protocol: '',
        port: 0,
        fromIpAddress: '192.0.2.0/24',
      },
      {
        ruleId: 'deny-all',
        direction: 'in' as const,
        priority: 1,
        action: 'deny' as const,
        protocol: '',
        port: 0,
      },
    ];
    await fabric.applyPolicy({ tenantId, policy: 'd2-db', rules });
    // a rerun changes nothing
    await fabric.applyPolicy({ tenantId, policy: 'd2-db', rules });
    await fabric.attachPolicies({ tenantId, group: 'd2-db', policies: ['d2-db'] });
    expect(await objects.get('endpointGroup', 'dep', 'd2-db')).toMatchObject({ policies: ['d2-db'] });
    expect(await fabric.compileSecurityRules({ tenantId, policy: 'd2-db' })).toEqual({
      rules: [
        {
          direction: 'ingress',
          action: 'allow',
          protocol: 'tcp',
          fromPort: 5432,
          toPort: 5432,
          cidr: '10.80.0.0/24',
          priority: 91,
        },
        { direction: 'ingress', action: 'allow', protocol: 'any', cidr: '192.0.2.0/24', priority: 91 },
        { direction: 'ingress', action: 'deny', protocol: 'any', priority: 100 },
      ],
      unsupported: [],
    });
  });

  it('keeps an existing group and its policies when asked to ensure it again', async () => {
    await fabric.ensureEndpointGroup({ tenantId, group: 'd2-db', network: 'd2-vsphere' });
    expect(await objects.get('endpointGroup', 'dep', 'd2-db')).toMatchObject({ policies: ['d2-db'] });
  });

  it('answers NOT_FOUND for a policy that does not exist', async () => {
    await expect(fabric.compileSecurityRules({ tenantId, policy: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'policy "nope" does not exist in tenant "dep"',
    });
  });

  it('removes policies, groups and networks in reference order, skipping what is gone', async () => {
    const everything = {
      tenantId,
      policies: ['d2-db', 'd2-web'],
      groups: ['d2-web', 'd2-db'],
      networks: ['d2-aws', 'd2-vsphere'],
    };
    await fabric.removeObjects(everything);
    await fabric.removeObjects(everything);
    const names = async (kind: 'network' | 'endpointGroup' | 'policy' | 'rule') =>
      (await objects.list(kind, 'dep')).map((o) => JSON.stringify(o));
    expect((await names('network')).filter((n) => n.includes('d2-'))).toEqual([]);
    expect(await names('endpointGroup')).toEqual([]);
    expect(await names('policy')).toEqual([]);
    expect(await names('rule')).toEqual([]);
  });
});

describe('endpoints keyed by tenant id', () => {
  it("never reaches another tenant's network or endpoint", async () => {
    await fabric.ensureDeploymentNetwork(
      { tenantId, network: 'd3-aws', addressPool: '10.90.0.0/16', addressSpace: 'acct-9' },
      claims(),
    );
    const ep = await fabric.allocateEndpoint({ tenantId, network: 'd3-aws', key: 'd3-web-0' });
    expect(ep).toMatchObject({ ipv4: '10.90.0.10', tenantName: 'dep', group: '' });
    await expect(
      fabric.allocateEndpoint({ tenantId: otherTenantId, network: 'd3-aws', key: 'x' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'network "d3-aws" does not exist in tenant "dep2"',
    });
    expect(await fabric.releaseEndpoint({ tenantId: otherTenantId, key: 'd3-web-0' })).toBe(false);
    expect(await fabric.releaseEndpoint({ tenantId, key: 'd3-web-0' })).toBe(true);
  });
});
