import type { DeploymentPlan } from '@switchyard/blueprints';
import { splitForSecurityGroup, type SecurityRule } from '@switchyard/cloud-adapters';
import {
  enforcementMessage,
  tierEnforcement,
  unenforced,
  unenforcedFailure,
} from './policy-enforcement.util.js';

type RulePlan = DeploymentPlan['fabric']['policies'][number]['rules'][number];

// the planner's whitelist for a db tier: postgres from the app tier, then deny-all
const planned: RulePlan[] = [
  {
    ruleId: 'c1-tcp-5432',
    direction: 'in',
    priority: 10,
    action: 'allow',
    protocol: 'tcp',
    port: 5432,
    fromEndpointGroup: 'app',
  },
  {
    ruleId: 'deny-all',
    direction: 'in',
    priority: 1,
    action: 'deny',
    protocol: '',
    port: 0,
  },
];
const compiled: SecurityRule[] = [
  {
    direction: 'ingress',
    action: 'allow',
    protocol: 'tcp',
    fromPort: 5432,
    toPort: 5432,
    cidr: '10.20.0.0/24',
    priority: 91,
  },
  { direction: 'ingress', action: 'deny', protocol: 'any', priority: 100 },
];
const inGuestRuleset = new Set(['c1-tcp-5432', 'deny-all']);
const where = {
  tier: 'db',
  environment: 'aws-us-east-1',
  securityGroup: 'sg-1',
  planned,
  compiled,
  inGuestRuleset,
};

describe('tierEnforcement', () => {
  it('on AWS and OpenStack: the group holds the allow, its default deny gives the deny-all, nftables both', () => {
    const { unsupported } = splitForSecurityGroup(compiled);
    expect(unsupported).toHaveLength(1);
    for (const cloud of ['aws-ec2', 'openstack'] as const) {
      const t = tierEnforcement({ ...where, cloud, unsupported });
      expect(t).toEqual({
        tier: 'db',
        environment: 'aws-us-east-1',
        cloud,
        securityGroup: 'sg-1',
        rules: [
          {
            ruleId: 'c1-tcp-5432',
            text: 'c1-tcp-5432: allow in tcp/5432 from group app',
            mechanisms: ['security-group', 'nftables'],
          },
          {
            ruleId: 'deny-all',
            text: 'deny-all: deny in any protocol from anywhere',
            mechanisms: ['security-group', 'nftables'],
          },
        ],
      });
      expect(unenforced(t)).toEqual([]);
    }
  });

  it('a deny the group would let through (an allow leaks it) is enforced in the guest only, saying why', () => {
    // deny postgres from one host, above the allow of the whole subnet: the group lets the host in
    const denyHost: RulePlan = {
      ...planned[1]!,
      ruleId: 'no-bastion',
      priority: 20,
      protocol: 'tcp',
      port: 5432,
      fromIpAddress: '10.20.0.9',
    };
    const denyCompiled: SecurityRule = {
      direction: 'ingress',
      action: 'deny',
      protocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
      cidr: '10.20.0.9/32',
      priority: 81,
    };
    const rules = [...compiled, denyCompiled];
    const { unsupported } = splitForSecurityGroup(rules);
    const t = tierEnforcement({
      ...where,
      cloud: 'aws-ec2',
      planned: [...planned, denyHost],
      compiled: rules,
      unsupported,
      inGuestRuleset: new Set([...inGuestRuleset, 'no-bastion']),
    });
    expect(t.rules[2]).toEqual({
      ruleId: 'no-bastion',
      text: 'no-bastion: deny in tcp/5432 from 10.20.0.9',
      mechanisms: ['nftables'],
      securityGroupGap:
        'deny rules cannot be expressed in EC2 security groups, and the group lets this traffic through by c1-tcp-5432',
    });
    expect(enforcementMessage(t)).toBe(
      'db on aws-us-east-1: 3 rules, 2 by the security group and nftables in the guest; in the guest only (nftables): ' +
        'no-bastion: deny in tcp/5432 from 10.20.0.9 (deny rules cannot be expressed in EC2 security groups, ' +
        'and the group lets this traffic through by c1-tcp-5432)',
    );
  });

  it('on vSphere every rule is enforced in the guest only: a port group filters nothing', () => {
    const unsupported = compiled.map((rule) => ({
      rule,
      reason: 'vSphere port groups have no security groups',
    }));
    const t = tierEnforcement({ ...where, cloud: 'vsphere', unsupported });
    expect(t.rules.map((r) => [r.ruleId, r.mechanisms, r.securityGroupGap])).toEqual([
      [
        'c1-tcp-5432',
        ['nftables'],
        'a vSphere port group filters no traffic, so it neither allows nor refuses',
      ],
      [
        'deny-all',
        ['nftables'],
        'a vSphere port group filters no traffic, so it refuses nothing this rule denies',
      ],
    ]);
    expect(unenforced(t)).toEqual([]);
  });

  it('a rule neither the group nor the guest ruleset holds is unenforced (the network step fails on it)', () => {
    const unsupported = compiled.map((rule) => ({ rule, reason: 'no security groups' }));
    const t = tierEnforcement({
      ...where,
      cloud: 'vsphere',
      unsupported,
      inGuestRuleset: new Set(['c1-tcp-5432']),
    });
    expect(unenforced(t).map((r) => r.ruleId)).toEqual(['deny-all']);
    expect(unenforcedFailure(t)?.toFailure()).toEqual({
      step: 'network',
      tier: 'db',
      environment: 'aws-us-east-1',
      provider: 'vsphere',
      message:
        'tier db on aws-us-east-1: nothing enforces deny-all: deny in any protocol from anywhere ' +
        '(a vSphere port group filters no traffic, so it refuses nothing this rule denies); nor does nftables in the guest',
    });
    expect(unenforcedFailure(tierEnforcement({ ...where, cloud: 'vsphere', unsupported: [] }))).toBeNull();
  });

  it('names the gap of a rule the cloud could not hold', () => {
    const odd: SecurityRule = { ...compiled[0]!, protocol: 'icmp' };
    const unsupported = [{ rule: odd, reason: 'port ranges do not apply to icmp' }];
    const t = tierEnforcement({ ...where, cloud: 'openstack', compiled: [odd, compiled[1]!], unsupported });
    expect(t.rules[0]).toEqual({
      ruleId: 'c1-tcp-5432',
      text: 'c1-tcp-5432: allow in tcp/5432 from group app',
      mechanisms: ['nftables'],
      securityGroupGap: "port ranges do not apply to icmp; the group's default deny refuses this traffic",
    });
  });
});
