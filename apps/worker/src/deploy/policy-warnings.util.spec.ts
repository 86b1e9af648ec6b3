import type { DeploymentPlan } from '@switchyard/blueprints';
import { splitForSecurityGroup, type SecurityRule } from '@switchyard/cloud-adapters';
import { HOST_FIREWALL_LATER, policyWarning, policyWarningMessage } from './policy-warnings.util.js';

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
const where = { tier: 'db', environment: 'aws-us-east-1', planned, compiled };

describe('policyWarning', () => {
  it('says nothing about a deny-all on AWS: the security group refuses that traffic by default', () => {
    const { unsupported } = splitForSecurityGroup(compiled);
    expect(unsupported).toHaveLength(1);
    expect(policyWarning({ ...where, cloud: 'aws-ec2', unsupported })).toBeNull();
    expect(policyWarning({ ...where, cloud: 'openstack', unsupported })).toBeNull();
  });

  it('names a deny the group would let through, the allow that leaks it, and that nothing enforces it yet', () => {
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
    const w = policyWarning({
      ...where,
      cloud: 'aws-ec2',
      planned: [...planned, denyHost],
      compiled: rules,
      unsupported,
    });
    expect(w).toEqual({
      code: 'policy.unsupported',
      tier: 'db',
      environment: 'aws-us-east-1',
      cloud: 'aws-ec2',
      rules: [
        {
          ruleId: 'no-bastion',
          direction: 'in',
          action: 'deny',
          protocol: 'tcp',
          port: 5432,
          peer: '10.20.0.9',
          reason:
            'deny rules cannot be expressed in EC2 security groups, and the group lets this traffic through by c1-tcp-5432',
          text: 'no-bastion: deny in tcp/5432 from 10.20.0.9',
        },
      ],
      enforced: false,
      enforcedBy: HOST_FIREWALL_LATER,
    });
    expect(policyWarningMessage(w!)).toMatch(
      /^db on aws-us-east-1: no-bastion: deny in tcp\/5432 from 10\.20\.0\.9 \(/,
    );
    expect(policyWarningMessage(w!)).toContain('not enforced yet');
  });

  it('on vSphere names the deny-all as not enforced, and not the allows (nothing filters them)', () => {
    const unsupported = compiled.map((rule) => ({
      rule,
      reason: 'vSphere port groups have no security groups',
    }));
    const w = policyWarning({ ...where, cloud: 'vsphere', unsupported });
    expect(w?.rules.map((r) => r.text)).toEqual(['deny-all: deny in any protocol from anywhere']);
    expect(w?.rules[0]?.reason).toBe(
      'a vSphere port group filters no traffic, so nothing refuses what this rule denies',
    );
  });

  it('names the allowing group of a rule the cloud could not hold', () => {
    const odd: SecurityRule = { ...compiled[0]!, protocol: 'icmp' };
    const unsupported = [{ rule: odd, reason: 'port ranges do not apply to icmp' }];
    const w = policyWarning({ ...where, cloud: 'openstack', compiled: [odd, compiled[1]!], unsupported });
    expect(w?.rules.map((r) => [r.text, r.reason])).toEqual([
      [
        'c1-tcp-5432: allow in icmp/5432 from group app',
        "port ranges do not apply to icmp; the group's default deny refuses this traffic",
      ],
    ]);
  });
});
