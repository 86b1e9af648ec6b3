/** One rule of the fabric's compiled policy, in cloud-neutral form. */
export interface SecurityRule {
  direction: 'ingress' | 'egress';
  action: 'allow' | 'deny';
  protocol: 'tcp' | 'udp' | 'icmp' | 'any';
  /** Inclusive port range; absent means all ports. */
  fromPort?: number;
  toPort?: number;
  /** Peer address range; absent means anywhere. */
  cidr?: string;
  /** Lower numbers win, as in the fabric's rules; clouds that have no order ignore it. */
  priority?: number;
}

export interface SecurityPolicy {
  /** Unique per account; the adapter finds the existing group by it. */
  name: string;
  /** Network the group belongs to (AWS needs the VPC). */
  network: string;
  rules: SecurityRule[];
}

export interface UnsupportedRule {
  rule: SecurityRule;
  reason: string;
}

export interface SecurityPolicyResult {
  /** Cloud id of the security group (or equivalent). */
  id: string;
  applied: SecurityRule[];
  /** Rules the cloud cannot express; the caller must enforce them elsewhere (e.g. the fabric). */
  unsupported: UnsupportedRule[];
}

/**
 * Splits rules into those an allow-only security group can hold and those it cannot; the latter
 * go back to the caller instead of being dropped.
 */
export function splitForSecurityGroup(rules: readonly SecurityRule[]): {
  expressible: SecurityRule[];
  unsupported: UnsupportedRule[];
} {
  const expressible: SecurityRule[] = [];
  const unsupported: UnsupportedRule[] = [];
  for (const rule of rules) {
    if (rule.action === 'deny') {
      unsupported.push({ rule, reason: 'security groups are allow-only; deny rules cannot be expressed' });
    } else if (rule.protocol === 'icmp' && (rule.fromPort !== undefined || rule.toPort !== undefined)) {
      unsupported.push({ rule, reason: 'port ranges do not apply to icmp' });
    } else {
      expressible.push(rule);
    }
  }
  return { expressible, unsupported };
}

/** A stable key for comparing rules already in a group with wanted ones. */
export function ruleKey(rule: SecurityRule): string {
  const all = rule.protocol === 'any';
  return [
    rule.direction,
    rule.protocol,
    all ? '' : (rule.fromPort ?? ''),
    all ? '' : (rule.toPort ?? ''),
    rule.cidr ?? '0.0.0.0/0',
  ].join('|');
}

/**
 * The rules once each, by `ruleKey`, first one kept. Two tiers that allow one port from one subnet
 * compile to two identical rules, and a cloud refuses a group that holds one rule twice.
 */
export function uniqueRules(rules: readonly SecurityRule[]): SecurityRule[] {
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = ruleKey(rule);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
