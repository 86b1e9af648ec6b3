import type { FieldIssue } from '../errors/fabric.exception.js';
import { parseIPv4, parseIPv6 } from '../addressing/ip.util.js';
import { parseSubnet, subnetContains, type Subnet } from '../addressing/subnet.util.js';
import { VLAN_LIMITS } from '../addressing/tag-range.util.js';

// Rules that span several fields of one object; single-field rules live in the field specs.
// Parameters are typed by the fields they read, as the object types derive from the specs using them.

type GlobalFields = { pvtSubnet: string };
type NetworkFields = Record<'encap' | 'subnet' | 'gateway' | 'ipv6Subnet' | 'ipv6Gateway', string> & {
  pktTag: number;
};
type RuleFields = Record<(typeof FROM)[number] | (typeof TO)[number] | 'direction' | 'protocol', string> & {
  port: number;
};

export function globalIssues(g: GlobalFields): FieldIssue[] {
  const parsed = parseSubnet(g.pvtSubnet);
  if (parsed.ok && parsed.value.prefix !== 16) {
    return [{ path: 'pvtSubnet', message: `must be a /16, got /${parsed.value.prefix}` }];
  }
  return [];
}

export function networkIssues(n: NetworkFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (n.encap === 'vlan' && n.pktTag > VLAN_LIMITS.max) {
    issues.push({ path: 'pktTag', message: `VLAN tag ${n.pktTag} is outside 1..${VLAN_LIMITS.max}` });
  }
  const v4 = parseSubnet(n.subnet);
  if (n.gateway !== '' && v4.ok && parseIPv4(n.gateway) !== undefined) {
    const issue = gatewayIssue(v4.value, parseIPv4(n.gateway) ?? 0n, n.gateway, 'subnet');
    if (issue) issues.push({ path: 'gateway', message: issue });
  }
  if (n.ipv6Gateway !== '') {
    const gw = parseIPv6(n.ipv6Gateway);
    const v6 = parseSubnet(n.ipv6Subnet);
    if (gw === undefined)
      issues.push({ path: 'ipv6Gateway', message: `"${n.ipv6Gateway}" is not an IPv6 address` });
    else if (n.ipv6Subnet === '') issues.push({ path: 'ipv6Gateway', message: 'needs ipv6Subnet' });
    else if (v6.ok) {
      const issue = gatewayIssue(v6.value, gw, n.ipv6Gateway, 'ipv6Subnet');
      if (issue) issues.push({ path: 'ipv6Gateway', message: issue });
    }
  }
  return issues;
}

function gatewayIssue(subnet: Subnet, gw: bigint, text: string, field: string): string | undefined {
  if (!subnetContains(subnet, gw)) return `${text} is not inside the ${field}`;
  if (gw === subnet.network) return `${text} is the network address of the ${field}`;
  if (gw === subnet.broadcast) {
    return `${text} is the ${subnet.family === 4 ? 'broadcast' : 'last'} address of the ${field}`;
  }
  return undefined;
}

const FROM = ['fromEndpointGroup', 'fromNetwork', 'fromIpAddress'] as const;
const TO = ['toEndpointGroup', 'toNetwork', 'toIpAddress'] as const;

export function ruleIssues(r: RuleFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const sides = [
    { fields: FROM, allowed: r.direction === 'in', side: 'source' },
    { fields: TO, allowed: r.direction === 'out', side: 'destination' },
  ];
  for (const { fields, allowed, side } of sides) {
    const set = fields.filter((f) => r[f] !== '');
    if (r.direction !== '' && !allowed) {
      for (const f of set)
        issues.push({ path: f, message: `only allowed in ${r.direction === 'in' ? 'out' : 'in'} rules` });
    } else if (set.length > 1) {
      for (const f of set.slice(1)) {
        issues.push({ path: f, message: `at most one ${side} per rule (${set.join(', ')} are set)` });
      }
    }
  }
  if (r.port !== 0 && !['tcp', 'udp', '6', '17'].includes(r.protocol)) {
    issues.push({ path: 'port', message: 'a port needs protocol tcp or udp' });
  }
  return issues;
}
