import type { RuleConfig } from '../model/objects.model.js';

/** A rule as a cloud security group holds it (the shape of the cloud adapters' SecurityRule). */
export interface SecurityGroupRule {
  direction: 'ingress' | 'egress';
  action: 'allow' | 'deny';
  protocol: 'tcp' | 'udp' | 'icmp' | 'any';
  /** Inclusive port range; absent means all ports. */
  fromPort?: number;
  toPort?: number;
  /** Peer address range; absent means anywhere. */
  cidr?: string;
  /** Lower numbers win; clouds that have no order ignore it. */
  priority?: number;
}

/** A fabric rule that has no security-group form, and why. */
export interface UncompiledRule {
  ruleId: string;
  reason: string;
}

export interface CompiledSecurityRules {
  rules: SecurityGroupRule[];
  unsupported: UncompiledRule[];
}

/** The address block (CIDR) of each group and network a rule may name as its peer. */
export interface PeerBlocks {
  groups: ReadonlyMap<string, string>;
  networks: ReadonlyMap<string, string>;
}

const PROTOCOLS: Readonly<Record<string, SecurityGroupRule['protocol']>> = {
  '': 'any',
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
};

/**
 * A policy's rules as security-group rules, in the order given: an `in` rule becomes ingress from
 * its source, an `out` rule egress to its destination; a group or network peer becomes its
 * network's address block, an address without a prefix a host route. Contiv's priority (1..100,
 * higher wins) becomes 101 - priority, as clouds that order rules let lower numbers win.
 */
export function compileSecurityRules(
  rules: readonly RuleConfig[],
  blocks: PeerBlocks,
): CompiledSecurityRules {
  const compiled: SecurityGroupRule[] = [];
  const unsupported: UncompiledRule[] = [];
  for (const rule of rules) {
    const protocol = PROTOCOLS[rule.protocol];
    if (!protocol) {
      unsupported.push({
        ruleId: rule.ruleId,
        reason: `protocol ${rule.protocol} has no security-group form`,
      });
      continue;
    }
    const ingress = rule.direction !== 'out';
    const peer = peerOf(rule, ingress, blocks);
    if ('reason' in peer) {
      unsupported.push({ ruleId: rule.ruleId, reason: peer.reason });
      continue;
    }
    compiled.push({
      direction: ingress ? 'ingress' : 'egress',
      action: rule.action === 'deny' ? 'deny' : 'allow',
      protocol,
      ...(rule.port ? { fromPort: rule.port, toPort: rule.port } : {}),
      ...(peer.cidr ? { cidr: peer.cidr } : {}),
      priority: 101 - rule.priority,
    });
  }
  return { rules: compiled, unsupported };
}

function peerOf(
  rule: RuleConfig,
  ingress: boolean,
  blocks: PeerBlocks,
): { cidr?: string } | { reason: string } {
  const group = ingress ? rule.fromEndpointGroup : rule.toEndpointGroup;
  const network = ingress ? rule.fromNetwork : rule.toNetwork;
  const address = ingress ? rule.fromIpAddress : rule.toIpAddress;
  if (group) {
    const cidr = blocks.groups.get(group);
    return cidr ? { cidr } : { reason: `group "${group}" has no network address block` };
  }
  if (network) {
    const cidr = blocks.networks.get(network);
    return cidr ? { cidr } : { reason: `network "${network}" has no address block` };
  }
  if (address)
    return { cidr: address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}` };
  return {};
}
