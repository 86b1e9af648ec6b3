import type { RuleConfig } from '../model/objects.model.js';
import { compilePolicyState } from '../policy/compiled-policy.util.js';
import type { PolicyState } from '../policy/policy.types.js';
import { nftComment, nftIdentifier } from './nft-names.util.js';
import { renderRuleset, ruleScore } from './ruleset.util.js';

function rule(
  partial: Partial<RuleConfig> & Pick<RuleConfig, 'policyName' | 'ruleId' | 'direction' | 'action'>,
): RuleConfig {
  return {
    tenantName: 't',
    priority: 1,
    fromEndpointGroup: '',
    fromNetwork: '',
    fromIpAddress: '',
    toEndpointGroup: '',
    toNetwork: '',
    toIpAddress: '',
    protocol: '',
    port: 0,
    ...partial,
  };
}

const STATE: PolicyState = {
  networks: [
    { networkName: 'front', subnet: '10.0.0.0/24' },
    { networkName: 'back', subnet: '10.1.0.0/24' },
  ],
  groups: [
    { groupName: 'Web-1', networkName: 'front', ipPool: '10.0.0.10-10.0.0.19', policies: ['pw'] },
    { groupName: 'db', networkName: 'back', ipPool: '', policies: ['pd'] },
  ],
  endpoints: [
    { ipAddress: '10.1.0.6', groupName: 'db', networkName: 'back' },
    { ipAddress: '10.1.0.5', groupName: 'db', networkName: 'back' },
  ],
  rules: [
    rule({ policyName: 'pd', ruleId: 'deny-all', direction: 'in', action: 'deny' }),
    rule({
      policyName: 'pd',
      ruleId: 'pg',
      direction: 'in',
      action: 'allow',
      priority: 10,
      fromEndpointGroup: 'Web-1',
      protocol: 'tcp',
      port: 5432,
    }),
    rule({
      policyName: 'pd',
      ruleId: 'gre',
      direction: 'in',
      action: 'allow',
      priority: 3,
      fromNetwork: 'front',
      protocol: '47',
    }),
    rule({
      policyName: 'pd',
      ruleId: 'tie',
      direction: 'in',
      action: 'deny',
      priority: 10,
      fromIpAddress: '10.0.0.17/30',
      protocol: 'tcp',
      port: 5432,
    }),
    rule({
      policyName: 'pw',
      ruleId: 'dns',
      direction: 'out',
      action: 'deny',
      priority: 4,
      toIpAddress: '10.1.0.0/16',
      protocol: 'udp',
      port: 53,
    }),
  ],
};

const text = renderRuleset(compilePolicyState(STATE), 'default');
const chain = (name: string) =>
  text
    .slice(text.indexOf(`  chain ${name} {`))
    .split('\n  }')[0]!
    .split('\n')
    .slice(1);

describe('renderRuleset', () => {
  it('gives the same text for the same state, whatever order it was read in', () => {
    const shuffled: PolicyState = {
      networks: [...STATE.networks].reverse(),
      groups: [...STATE.groups].reverse(),
      endpoints: [...STATE.endpoints].reverse(),
      rules: [...STATE.rules].reverse(),
    };
    expect(renderRuleset(compilePolicyState(shuffled), 'default')).toBe(text);
  });

  it('replaces one table per tenant atomically', () => {
    expect(text.split('\n').slice(1, 4)).toEqual([
      'table inet switchyard_default',
      'delete table inet switchyard_default',
      'table inet switchyard_default {',
    ]);
  });

  it("dispatches through verdict maps keyed by the groups' addresses to per-group chains", () => {
    expect(text).toContain(
      '  map dispatch_in {\n    type ipv4_addr : verdict\n    flags interval\n' +
        '    elements = { 10.1.0.5-10.1.0.6 : jump in_db }\n  }',
    );
    expect(text).toContain('    elements = { 10.0.0.10-10.0.0.19 : jump out__57eb_2d1 }');
    expect(chain('decide')).toEqual([
      '    ct state established,related accept',
      '    ct state invalid drop',
      '    meta mark set meta mark & 0xffffff00',
      '    ip daddr vmap @dispatch_in',
      '    ip saddr vmap @dispatch_out',
      '    meta mark & 0x00000001 == 0x00000001 meta mark set meta mark & 0xffffff00 drop',
      '    meta mark set meta mark & 0xffffff00 accept',
    ]);
  });

  it("names peers with address sets: a group's pool and endpoints, a network's subnet", () => {
    expect(text).toContain(
      '  set grp__57eb_2d1 {\n    type ipv4_addr\n    flags interval\n    elements = { 10.0.0.10-10.0.0.19 }\n  }',
    );
    expect(text).toContain(
      '  set net_front {\n    type ipv4_addr\n    flags interval\n    elements = { 10.0.0.0-10.0.0.255 }\n  }',
    );
  });

  it("writes each group's rules in deciding order, scored so that deny wins a tie", () => {
    expect(chain('in_db')).toEqual([
      '    ip saddr 10.0.0.16/30 tcp dport 5432 meta mark & 0x000000ff < 21 meta mark set meta mark & 0xffffff00 | 21 return comment "pd:tie"',
      '    ip saddr @grp__57eb_2d1 tcp dport 5432 meta mark & 0x000000ff < 20 meta mark set meta mark & 0xffffff00 | 20 return comment "pd:pg"',
      '    ip saddr @net_front meta l4proto 47 meta mark & 0x000000ff < 6 meta mark set meta mark & 0xffffff00 | 6 return comment "pd:gre"',
      '    meta mark & 0x000000ff < 3 meta mark set meta mark & 0xffffff00 | 3 return comment "pd:deny-all"',
    ]);
    expect(chain('out__57eb_2d1')).toEqual([
      '    ip daddr 10.1.0.0/16 udp dport 53 meta mark & 0x000000ff < 9 meta mark set meta mark & 0xffffff00 | 9 return comment "pw:dns"',
    ]);
    expect([
      ruleScore({ priority: 100, action: 'deny' }),
      ruleScore({ priority: 1, action: 'allow' }),
    ]).toEqual([201, 2]);
  });

  it('judges what every VM of the tenant receives and sends, loopback aside', () => {
    expect(chain('input')).toEqual([
      '    type filter hook input priority filter; policy accept;',
      '    iif "lo" accept',
      '    jump decide',
    ]);
    expect(chain('output')[1]).toBe('    oif "lo" accept');
  });
});

describe('names in a ruleset', () => {
  it('escapes every character but a-z and 0-9, one to one', () => {
    expect(nftIdentifier('grp', 'web')).toBe('grp_web');
    expect(nftIdentifier('grp', 'Web-1')).toBe('grp__57eb_2d1');
    expect(nftIdentifier('grp', 'a.b')).not.toBe(nftIdentifier('grp', 'a-b'));
    expect(nftIdentifier('grp', 'A')).not.toBe(nftIdentifier('grp', 'a'));
    expect(nftIdentifier('in', 'x'.repeat(64))).toHaveLength(67);
  });

  it('refuses what no fabric name holds', () => {
    for (const name of ['', 'a b', 'a;b', 'a"b', 'a}b', 'a_b', 'é']) {
      expect(() => nftIdentifier('grp', name)).toThrow(/cannot be named/);
    }
    expect(() => nftComment('p:"; drop')).toThrow(/cannot be an nftables comment/);
    expect(nftComment('p'.repeat(64) + ':' + 'r'.repeat(64))).toHaveLength(129);
  });
});
