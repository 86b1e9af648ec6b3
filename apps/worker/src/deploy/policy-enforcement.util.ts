import type { DeploymentPlan } from '@switchyard/blueprints';
import type { CloudProvider, SecurityRule, UnsupportedRule } from '@switchyard/cloud-adapters';
import type { EnforcementMechanism, RuleEnforcement, TierEnforcement } from '@switchyard/core/deployments';
import { StepFailure } from './step-failure.js';

type RulePlan = DeploymentPlan['fabric']['policies'][number]['rules'][number];

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

export interface EnforcementInput {
  tier: string;
  environment: string;
  cloud: CloudProvider;
  /** The tier's security group on the cloud (vSphere: its port group's, which filters nothing). */
  securityGroup: string;
  /** The tier's planned rules, in order. */
  planned: readonly RulePlan[];
  /** The same rules compiled for a security group, index for index. */
  compiled: readonly SecurityRule[];
  /** What the cloud's adapter could not apply (objects of `compiled`). */
  unsupported: readonly UnsupportedRule[];
  /** The rule ids the tier's nftables chains hold (every VM of the tier loads them). */
  inGuestRuleset: ReadonlySet<string>;
}

/**
 * Which mechanism enforces each rule of a tier: the cloud's security group where it holds the rule
 * (or its default deny already refuses what a deny rule denies), and nftables in every VM of the
 * tier where its ruleset holds the rule. A rule with neither is returned in `unenforced`; the
 * network step fails the order on it.
 */
export function tierEnforcement(input: EnforcementInput): TierEnforcement {
  const { compiled, unsupported } = input;
  const indices = unsupported.map((u) => indexOf(compiled, u.rule));
  const applied = compiled.filter((_, i) => !indices.includes(i));
  const rules = input.planned.map((planned, i): RuleEnforcement => {
    const rule = compiled[i];
    const u = unsupported[indices.indexOf(i)];
    const gap = !rule
      ? 'the rule has no security-group form'
      : u
        ? securityGroupGap(u, input.cloud, applied, (r) => input.planned[compiled.indexOf(r)])
        : null;
    const mechanisms: EnforcementMechanism[] = [];
    if (!gap) mechanisms.push('security-group');
    if (input.inGuestRuleset.has(planned.ruleId)) mechanisms.push('nftables');
    return {
      ruleId: planned.ruleId,
      text: describe(planned, rule),
      mechanisms,
      ...(gap ? { securityGroupGap: gap } : {}),
    };
  });
  return {
    tier: input.tier,
    environment: input.environment,
    cloud: input.cloud,
    securityGroup: input.securityGroup,
    rules,
  };
}

/** The rules of a tier that nothing enforces. */
export function unenforced(t: TierEnforcement): RuleEnforcement[] {
  return t.rules.filter((r) => r.mechanisms.length === 0);
}

/** The network step's failure when a rule of the tier is enforced by nothing, naming each; else null. */
export function unenforcedFailure(t: TierEnforcement): StepFailure | null {
  const missing = unenforced(t);
  if (!missing.length) return null;
  const which = missing.map((r) => `${r.text} (${r.securityGroupGap ?? 'no security group holds it'})`);
  return new StepFailure(
    'network',
    `tier ${t.tier} on ${t.environment}: nothing enforces ${which.join('; ')}; nor does nftables in the guest`,
    { tier: t.tier, environment: t.environment, provider: t.cloud },
  );
}

/** One line for the `policy.enforced` event. */
export function enforcementMessage(t: TierEnforcement): string {
  const guestOnly = t.rules.filter((r) => r.mechanisms.join() === 'nftables');
  const both = t.rules.length - guestOnly.length;
  const tail = guestOnly.length
    ? `; in the guest only (nftables): ${guestOnly.map((r) => `${r.text} (${r.securityGroupGap})`).join('; ')}`
    : '';
  return `${t.tier} on ${t.environment}: ${t.rules.length} rules, ${both} by the security group and nftables in the guest${tail}`;
}

/**
 * Why the cloud's group does not enforce a rule its adapter could not apply, or null when what the
 * group does comes to the same (a deny its default deny already gives). Clouds without any filter
 * (vSphere port groups) enforce nothing.
 */
function securityGroupGap(
  u: UnsupportedRule,
  cloud: CloudProvider,
  applied: readonly SecurityRule[],
  plannedOf: (rule: SecurityRule) => RulePlan | undefined,
): string | null {
  const groupKind = DEFAULT_DENY[cloud];
  if (!groupKind) {
    return u.rule.action === 'allow'
      ? `${CLOUD_NAMES[cloud]} filters no traffic, so it neither allows nor refuses`
      : `${CLOUD_NAMES[cloud]} filters no traffic, so it refuses nothing this rule denies`;
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

/** e.g. `no-bastion: deny in tcp/5432 from 10.20.0.9`. */
function describe(planned: RulePlan, rule: SecurityRule | undefined): string {
  const protocol = planned.protocol === '' ? 'any' : planned.protocol;
  const port = planned.port;
  const peer = planned.fromEndpointGroup
    ? `group ${planned.fromEndpointGroup}`
    : (planned.fromIpAddress ?? rule?.cidr ?? 'anywhere');
  const direction = planned.direction;
  const what = protocol === 'any' ? 'any protocol' : port ? `${protocol}/${port}` : `${protocol} any port`;
  return `${planned.ruleId}: ${planned.action} ${direction} ${what} ${direction === 'in' ? 'from' : 'to'} ${peer}`;
}
