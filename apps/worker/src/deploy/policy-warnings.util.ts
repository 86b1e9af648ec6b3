import type { DeploymentPlan } from '@switchyard/blueprints';
import type { CloudProvider, SecurityRule, UnsupportedRule } from '@switchyard/cloud-adapters';

type RulePlan = DeploymentPlan['fabric']['policies'][number]['rules'][number];

/** What will enforce a rule the cloud does not, and that nothing does yet. */
export const HOST_FIREWALL_LATER =
  'not enforced yet: the host firewall (nftables) will enforce it once the data plane (issue 17) is in place';

/** One policy rule the cloud leaves unenforced, named as a person reads it. */
export interface UnenforcedRule {
  ruleId: string;
  direction: 'in' | 'out';
  action: 'allow' | 'deny';
  /** `any`, `tcp`, `udp` or `icmp`. */
  protocol: string;
  /** Absent: every port. */
  port?: number;
  /** `group TIER`, a CIDR, or `anywhere`. */
  peer: string;
  /** Why the cloud cannot enforce it. */
  reason: string;
  /** e.g. `deny-all: deny in any protocol from anywhere`. */
  text: string;
}

/** The `policy.unsupported` event's data: which rules, where, and what enforces them instead. */
export interface PolicyWarning {
  code: 'policy.unsupported';
  tier: string;
  environment: string;
  cloud: CloudProvider;
  rules: UnenforcedRule[];
  enforced: false;
  enforcedBy: string;
}

const CLOUD_NAMES: Readonly<Record<CloudProvider, string>> = {
  'aws-ec2': 'AWS EC2',
  openstack: 'OpenStack',
  vsphere: 'a vSphere port group',
  'linux-host': 'a Linux host',
};

/** The allow-only groups of clouds that refuse what no rule allows; null: the cloud filters nothing. */
const DEFAULT_DENY: Readonly<Record<CloudProvider, string | null>> = {
  'aws-ec2': 'EC2 security groups',
  openstack: 'Neutron security groups',
  vsphere: null,
  // never asked: a Linux host's nftables holds every rule (its adapter reports none unsupported)
  'linux-host': 'the Linux host agent',
};

export interface PolicyWarningInput {
  tier: string;
  environment: string;
  cloud: CloudProvider;
  /** The tier's planned rules, in order. */
  planned: readonly RulePlan[];
  /** The same rules compiled for a security group, index for index. */
  compiled: readonly SecurityRule[];
  /** What the cloud's adapter could not apply (objects of `compiled`). */
  unsupported: readonly UnsupportedRule[];
}

/**
 * The rules a tier's security group leaves unenforced, or null when none. A deny rule that no
 * applied allow rule would let through is what the group's own default deny already does, so it
 * is no warning. Clouds without any filter (vSphere port groups) let every allowed flow pass, so
 * only their deny rules are warned about.
 */
export function policyWarning(input: PolicyWarningInput): PolicyWarning | null {
  const { compiled, unsupported } = input;
  const indices = unsupported.map((u) => indexOf(compiled, u.rule));
  const applied = compiled.filter((_, i) => !indices.includes(i));
  const rules: UnenforcedRule[] = [];
  unsupported.forEach((u, n) => {
    const planned = input.planned[indices[n]!];
    const reason =
      planned && reasonFor(u, input.cloud, applied, (rule) => input.planned[compiled.indexOf(rule)]);
    if (planned && reason) rules.push(describe(planned, u.rule, reason));
  });
  if (!rules.length) return null;
  return {
    code: 'policy.unsupported',
    tier: input.tier,
    environment: input.environment,
    cloud: input.cloud,
    rules,
    enforced: false,
    enforcedBy: HOST_FIREWALL_LATER,
  };
}

/** One line for the event's message. */
export function policyWarningMessage(w: PolicyWarning): string {
  const rules = w.rules.map((r) => `${r.text} (${r.reason})`).join('; ');
  return `${w.tier} on ${w.environment}: ${rules}; ${w.enforcedBy}`;
}

/** Why the cloud leaves a rule unenforced, or null when what it does comes to the same. */
function reasonFor(
  u: UnsupportedRule,
  cloud: CloudProvider,
  applied: readonly SecurityRule[],
  plannedOf: (rule: SecurityRule) => RulePlan | undefined,
): string | null {
  const groupKind = DEFAULT_DENY[cloud];
  if (!groupKind) {
    // nothing filters: an allowed flow passes, a denied one too
    if (u.rule.action === 'allow') return null;
    return `${CLOUD_NAMES[cloud]} filters no traffic, so nothing refuses what this rule denies`;
  }
  if (u.rule.action === 'allow') return `${u.reason}; the group's default deny refuses this traffic`;
  const leak = applied.find((a) => a.action === 'allow' && overrides(u.rule, a) && overlaps(u.rule, a));
  if (!leak) return null; // the group's default deny refuses this traffic already
  const leakId = plannedOf(leak)?.ruleId ?? 'another rule';
  return `deny rules cannot be expressed in ${groupKind}, and the group lets this traffic through by ${leakId}`;
}

function indexOf(compiled: readonly SecurityRule[], rule: SecurityRule): number {
  const same = compiled.indexOf(rule);
  if (same >= 0) return same;
  // an adapter that copied the rule: the first equal one
  return compiled.findIndex((c) => JSON.stringify(c) === JSON.stringify(rule));
}

/** The deny wins over the allow: lower numbers win, and a deny wins a tie. */
function overrides(deny: SecurityRule, allow: SecurityRule): boolean {
  return (deny.priority ?? 0) <= (allow.priority ?? 0);
}

/** Some packet matches both rules. */
function overlaps(a: SecurityRule, b: SecurityRule): boolean {
  if (a.direction !== b.direction) return false;
  if (a.protocol !== 'any' && b.protocol !== 'any' && a.protocol !== b.protocol) return false;
  const [aLow, aHigh] = [a.fromPort ?? 0, a.toPort ?? 65535];
  const [bLow, bHigh] = [b.fromPort ?? 0, b.toPort ?? 65535];
  if (aHigh < bLow || bHigh < aLow) return false;
  return blocksOverlap(a.cidr ?? '0.0.0.0/0', b.cidr ?? '0.0.0.0/0');
}

function blocksOverlap(a: string, b: string): boolean {
  const [aBase, aLen] = block(a);
  const [bBase, bLen] = block(b);
  if (aBase === null || bBase === null) return true; // IPv6 or odd text: assume they meet
  const len = Math.min(aLen, bLen);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return (aBase & mask) >>> 0 === (bBase & mask) >>> 0;
}

function block(cidr: string): [number | null, number] {
  const [address = '', length = '32'] = cidr.split('/');
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p))) return [null, 0];
  return [parts.reduce((n, p) => n * 256 + p, 0), Number(length)];
}

function describe(planned: RulePlan, rule: SecurityRule, reason: string): UnenforcedRule {
  const protocol = rule.protocol;
  const port = rule.fromPort;
  const peer = planned.fromEndpointGroup
    ? `group ${planned.fromEndpointGroup}`
    : (planned.fromIpAddress ?? rule.cidr ?? 'anywhere');
  const direction = rule.direction === 'egress' ? 'out' : 'in';
  const what = protocol === 'any' ? 'any protocol' : port ? `${protocol}/${port}` : `${protocol} any port`;
  const text = `${planned.ruleId}: ${rule.action} ${direction} ${what} ${direction === 'in' ? 'from' : 'to'} ${peer}`;
  return {
    ruleId: planned.ruleId,
    direction,
    action: rule.action,
    protocol,
    ...(port ? { port } : {}),
    peer,
    reason,
    text,
  };
}
