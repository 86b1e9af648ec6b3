import {
  immutableChanges,
  nameInTenant,
  objectKey,
  parseObjectKey,
  validateObject,
} from './validate.util.js';
import { nameIssue } from './names.util.js';

function issuesOf(kind: Parameters<typeof validateObject>[0], body: unknown) {
  const result = validateObject(kind, body);
  return result.ok ? [] : result.issues;
}

describe('names', () => {
  it.each(['a', 'net-1', 'web.tier-2', 'A1', 'x'.repeat(64)])('accepts %s', (n) =>
    expect(nameIssue(n)).toBeUndefined(),
  );
  it.each([
    '',
    'x'.repeat(65),
    'a_b',
    'a:b',
    '-a',
    'a-',
    'a..b',
    '.a',
    'a|b',
    'a#b',
    'a@b',
    'a!b',
    'a~b',
    'a*b',
    'a^b',
    'a\\b',
  ])('refuses %j', (n) => expect(nameIssue(n)).toBeDefined());
});

describe('validateObject', () => {
  it('fills defaults and keeps Contiv field names', () => {
    const result = validateObject('network', {
      tenantName: 'default',
      networkName: 'n1',
      encap: 'vlan',
      subnet: '10.1.1.0/24',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        tenantName: 'default',
        networkName: 'n1',
        encap: 'vlan',
        pktTag: 0,
        subnet: '10.1.1.0/24',
        gateway: '',
        ipv6Subnet: '',
        ipv6Gateway: '',
        nwType: 'data',
        cfgdTag: '',
      },
    });
  });

  it('reports every broken rule at once, naming the field', () => {
    const issues = issuesOf('network', {
      tenantName: 'bad_name',
      networkName: 'n1',
      encap: 'gre',
      subnet: '10.1.1.0/31',
      pktTag: -1,
      nwType: 'other',
      colour: 'red',
    });
    expect(issues.map((i) => i.path).sort()).toEqual([
      'colour',
      'encap',
      'nwType',
      'pktTag',
      'subnet',
      'tenantName',
    ]);
    expect(issues.find((i) => i.path === 'subnet')?.message).toMatch(/\/31 leaves no usable address/);
    expect(issues.find((i) => i.path === 'encap')?.message).toBe('must be one of vlan, vxlan');
  });

  it('refuses a gateway that is the network or broadcast address or outside the subnet', () => {
    const base = { tenantName: 't', networkName: 'n', encap: 'vlan', subnet: '10.1.1.0/24' };
    expect(issuesOf('network', { ...base, gateway: '10.1.1.0' })[0]?.message).toMatch(/network address/);
    expect(issuesOf('network', { ...base, gateway: '10.1.1.255' })[0]?.message).toMatch(/broadcast address/);
    expect(issuesOf('network', { ...base, gateway: '10.1.2.1' })[0]?.message).toMatch(
      /not inside the subnet/,
    );
    expect(issuesOf('network', { ...base, gateway: '10.1.1.254' })).toEqual([]);
  });

  it('checks VLAN tags against 1..4094 and IPv6 gateways against the IPv6 subnet', () => {
    const base = { tenantName: 't', networkName: 'n', encap: 'vlan', subnet: '10.1.1.0/24' };
    expect(issuesOf('network', { ...base, pktTag: 5000 })[0]).toEqual({
      path: 'pktTag',
      message: 'VLAN tag 5000 is outside 1..4094',
    });
    expect(issuesOf('network', { ...base, encap: 'vxlan', pktTag: 5000 })).toEqual([]);
    expect(
      issuesOf('network', { ...base, ipv6Subnet: '2001:db8::/64', ipv6Gateway: '2001:db9::1' })[0]?.path,
    ).toBe('ipv6Gateway');
    expect(issuesOf('network', { ...base, ipv6Subnet: '10.2.0.0/16' })[0]?.path).toBe('ipv6Subnet');
  });

  it('enforces rule sides by direction and at most one peer per side', () => {
    const base = { tenantName: 't', policyName: 'p', ruleId: '1', action: 'allow' };
    expect(issuesOf('rule', { ...base, direction: 'in', toNetwork: 'n' })).toEqual([
      { path: 'toNetwork', message: 'only allowed in out rules' },
    ]);
    expect(
      issuesOf('rule', { ...base, direction: 'in', fromNetwork: 'n', fromEndpointGroup: 'g' })[0]?.message,
    ).toMatch(/at most one source/);
    expect(issuesOf('rule', { ...base, direction: 'out', port: 80 })[0]).toEqual({
      path: 'port',
      message: 'a port needs protocol tcp or udp',
    });
    expect(issuesOf('rule', { ...base, direction: 'out', protocol: 'sctp' })[0]?.path).toBe('protocol');
    expect(issuesOf('rule', { ...base, direction: 'sideways', priority: 101 }).map((i) => i.path)).toEqual([
      'direction',
      'priority',
    ]);
  });

  it('normalizes rule priority 0 to 1', () => {
    const result = validateObject('rule', {
      tenantName: 't',
      policyName: 'p',
      ruleId: '1',
      direction: 'in',
      action: 'deny',
      priority: 0,
    });
    expect(result.ok && result.value.priority).toBe(1);
  });

  it.each([
    ['10 Gbps', true],
    ['5Mb', true],
    ['4g', true],
    ['20mbps', true],
    ['0 Gbps', false],
    ['10', false],
    ['fast', false],
  ])('netprofile bandwidth %j valid=%s', (bandwidth, valid) => {
    expect(issuesOf('netprofile', { tenantName: 't', profileName: 'p', bandwidth }).length === 0).toBe(valid);
  });

  it('checks service LB selectors and ports, group list items, global ranges', () => {
    const svc = issuesOf('serviceLB', {
      tenantName: 't',
      serviceName: 's',
      networkName: 'n',
      selectors: ['app=web', 'bad'],
      ports: ['80:8080:TCP', '80:0:UDP', '1:2:SCTP'],
    });
    expect(svc.map((i) => i.path)).toEqual(['selectors[1]', 'ports[1]', 'ports[2]']);
    expect(
      issuesOf('endpointGroup', {
        tenantName: 't',
        groupName: 'g',
        networkName: 'n',
        policies: ['ok', 'no_t'],
      })[0]?.path,
    ).toBe('policies[1]');
    const global = issuesOf('global', {
      name: 'global',
      vlans: '0-10',
      vxlans: '1-20000',
      pvtSubnet: '172.19.0.0/24',
      fwdMode: 'x',
    });
    expect(global.map((i) => i.path).sort()).toEqual(['fwdMode', 'pvtSubnet', 'vlans', 'vxlans']);
  });

  it('refuses a wrong JSON type and a body that is not an object', () => {
    expect(issuesOf('network', [])).toEqual([{ path: '', message: 'must be a JSON object' }]);
    expect(issuesOf('netprofile', { tenantName: 't', profileName: 'p', DSCP: '5' })).toEqual([
      { path: 'DSCP', message: 'must be an integer' },
    ]);
  });

  it('tolerates the fields Contiv clients add', () => {
    expect(
      issuesOf('policy', { tenantName: 't', policyName: 'p', key: 't:p', 'link-sets': {}, links: {} }),
    ).toEqual([]);
  });
});

describe('keys', () => {
  const rule = validateObject('rule', {
    tenantName: 't',
    policyName: 'p',
    ruleId: '7',
    direction: 'in',
    action: 'allow',
  });
  it('makes and splits Contiv keys', () => {
    if (!rule.ok) throw new Error('fixture invalid');
    expect(objectKey('rule', rule.value)).toBe('t:p:7');
    expect(nameInTenant('rule', rule.value)).toBe('p:7');
    expect(parseObjectKey('rule', 't:p:7')).toEqual({ tenantName: 't', policyName: 'p', ruleId: '7' });
    expect(parseObjectKey('network', 't:p:7')).toBeUndefined();
    expect(parseObjectKey('global', 'global')).toEqual({ name: 'global' });
  });

  it('names each immutable field an update would change', () => {
    const a = validateObject('endpointGroup', {
      tenantName: 't',
      groupName: 'g',
      networkName: 'n1',
      ipPool: '10.1.1.10-10.1.1.20',
    });
    const b = validateObject('endpointGroup', {
      tenantName: 't',
      groupName: 'g',
      networkName: 'n2',
      policies: ['p'],
    });
    if (!a.ok || !b.ok) throw new Error('fixture invalid');
    expect(immutableChanges('endpointGroup', a.value, b.value).map((i) => i.path)).toEqual([
      'networkName',
      'ipPool',
    ]);
  });
});
