import type { RuleConfig } from '../model/objects.model.js';
import { compileSecurityRules, type PeerBlocks } from './security-rules.util.js';

const blocks: PeerBlocks = {
  groups: new Map([
    ['web', '10.200.0.0/24'],
    ['db', '10.200.1.0/24'],
  ]),
  networks: new Map([['net1', '10.200.0.0/24']]),
};

function rule(fields: Partial<RuleConfig>): RuleConfig {
  return {
    tenantName: 't',
    policyName: 'p',
    ruleId: 'r',
    direction: 'in',
    priority: 1,
    fromEndpointGroup: '',
    fromNetwork: '',
    fromIpAddress: '',
    toEndpointGroup: '',
    toNetwork: '',
    toIpAddress: '',
    protocol: '',
    port: 0,
    action: 'allow',
    ...fields,
  };
}

describe('compileSecurityRules', () => {
  it('compiles a whitelist in order: group sources become their network block, priority 101 - p', () => {
    const compiled = compileSecurityRules(
      [
        rule({ ruleId: 'c0-tcp-80', priority: 10, fromEndpointGroup: 'web', protocol: 'tcp', port: 80 }),
        rule({ ruleId: 'c1-any', priority: 10, fromIpAddress: '0.0.0.0/0' }),
        rule({ ruleId: 'deny-all', priority: 1, action: 'deny' }),
      ],
      blocks,
    );
    expect(compiled).toEqual({
      rules: [
        {
          direction: 'ingress',
          action: 'allow',
          protocol: 'tcp',
          fromPort: 80,
          toPort: 80,
          cidr: '10.200.0.0/24',
          priority: 91,
        },
        { direction: 'ingress', action: 'allow', protocol: 'any', cidr: '0.0.0.0/0', priority: 91 },
        { direction: 'ingress', action: 'deny', protocol: 'any', priority: 100 },
      ],
      unsupported: [],
    });
  });

  it('compiles out rules as egress to their destination, networks and bare addresses included', () => {
    const { rules } = compileSecurityRules(
      [
        rule({ direction: 'out', toNetwork: 'net1', protocol: 'udp', port: 53, priority: 5 }),
        rule({ direction: 'out', toIpAddress: '192.0.2.7', protocol: '6', port: 443 }),
        rule({ fromIpAddress: '2001:db8::1', protocol: 'icmp' }),
      ],
      blocks,
    );
    expect(rules).toEqual([
      {
        direction: 'egress',
        action: 'allow',
        protocol: 'udp',
        fromPort: 53,
        toPort: 53,
        cidr: '10.200.0.0/24',
        priority: 96,
      },
      {
        direction: 'egress',
        action: 'allow',
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidr: '192.0.2.7/32',
        priority: 100,
      },
      { direction: 'ingress', action: 'allow', protocol: 'icmp', cidr: '2001:db8::1/128', priority: 100 },
    ]);
  });

  it('reports, never drops, what a security group cannot hold', () => {
    const compiled = compileSecurityRules(
      [
        rule({ ruleId: 'gre', protocol: '47' }),
        rule({ ruleId: 'ghost', fromEndpointGroup: 'nowhere' }),
        rule({ ruleId: 'ok', fromEndpointGroup: 'db' }),
      ],
      blocks,
    );
    expect(compiled.rules).toHaveLength(1);
    expect(compiled.unsupported).toEqual([
      { ruleId: 'gre', reason: 'protocol 47 has no security-group form' },
      { ruleId: 'ghost', reason: 'group "nowhere" has no network address block' },
    ]);
  });
});
