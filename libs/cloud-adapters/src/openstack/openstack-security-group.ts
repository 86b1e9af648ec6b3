import { isCloudError } from '../adapter/cloud.exception.js';
import {
  ruleKey,
  splitForSecurityGroup,
  uniqueRules,
  type SecurityPolicy,
  type SecurityPolicyResult,
  type SecurityRule,
} from '../adapter/security-policy.js';
import type { OpenStackHttp } from './openstack-http.client.js';

interface NeutronRule {
  id: string;
  direction: 'ingress' | 'egress';
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}

interface NeutronGroup {
  id: string;
  name: string;
  security_group_rules: NeutronRule[];
}

function fromNeutron(r: NeutronRule): SecurityRule {
  const protocol = (r.protocol ?? 'any') as SecurityRule['protocol'];
  const rule: SecurityRule = { direction: r.direction, action: 'allow', protocol };
  if (r.port_range_min !== null && (protocol === 'tcp' || protocol === 'udp'))
    rule.fromPort = r.port_range_min;
  if (r.port_range_max !== null && (protocol === 'tcp' || protocol === 'udp')) rule.toPort = r.port_range_max;
  if (r.remote_ip_prefix) rule.cidr = r.remote_ip_prefix;
  return rule;
}

function normalize(rule: SecurityRule): SecurityRule {
  const { fromPort, toPort, ...rest } = rule;
  if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') return { ...rest, cidr: rule.cidr ?? '0.0.0.0/0' };
  return {
    ...rest,
    ...(fromPort !== undefined ? { fromPort, toPort: toPort ?? fromPort } : {}),
    cidr: rule.cidr ?? '0.0.0.0/0',
  };
}

/**
 * Finds or creates the policy's Neutron security group and brings its IPv4 rules in line with the
 * policy's allow rules. A direction the policy has no rules for keeps Neutron's defaults.
 */
export async function syncSecurityGroup(
  http: OpenStackHttp,
  policy: SecurityPolicy,
): Promise<SecurityPolicyResult> {
  const { expressible, unsupported } = splitForSecurityGroup(policy.rules);
  const q = encodeURIComponent(policy.name);
  const found = await http.get<{ security_groups: NeutronGroup[] }>(
    'network',
    `/v2.0/security-groups?name=${q}`,
  );
  let group = found.security_groups[0];
  if (!group) {
    const created = await http.post<{ security_group: NeutronGroup }>('network', '/v2.0/security-groups', {
      security_group: { name: policy.name, description: `switchyard ${policy.name}` },
    });
    group = created.security_group;
  }
  // two tiers allowing one port from one subnet are one Neutron rule (a second is a 409)
  const wanted = uniqueRules(expressible.map(normalize));
  const wantedKeys = new Set(wanted.map((r) => ruleKey(r)));
  const ipv4 = group.security_group_rules.filter((r) => r.ethertype === 'IPv4' && r.remote_group_id === null);
  const haveKeys = new Set(ipv4.map((r) => ruleKey(normalize(fromNeutron(r)))));
  for (const r of ipv4) {
    const keep = wantedKeys.has(ruleKey(normalize(fromNeutron(r))));
    const managed = r.direction === 'ingress' || wanted.some((w) => w.direction === 'egress');
    if (!keep && managed) await http.delete('network', `/v2.0/security-group-rules/${r.id}`);
  }
  for (const rule of wanted) {
    if (haveKeys.has(ruleKey(rule))) continue;
    await http
      .post('network', '/v2.0/security-group-rules', {
        security_group_rule: {
          security_group_id: group.id,
          direction: rule.direction,
          ethertype: 'IPv4',
          protocol: rule.protocol === 'any' ? null : rule.protocol,
          ...(rule.fromPort !== undefined
            ? { port_range_min: rule.fromPort, port_range_max: rule.toPort }
            : {}),
          remote_ip_prefix: rule.cidr ?? '0.0.0.0/0',
        },
      })
      .catch((error: unknown) => {
        // added since the look-up (another worker, a step resumed after a crash): done
        if (!(isCloudError(error) && error.cloudCode === RULE_EXISTS)) throw error;
      });
  }
  return { id: group.id, applied: expressible, unsupported };
}

// Neutron's 409 for a rule identical to one the group holds
const RULE_EXISTS = 'SecurityGroupRuleExists';
