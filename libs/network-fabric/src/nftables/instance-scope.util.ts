import type {
  CompiledGroup,
  CompiledPolicy,
  CompiledRule,
  RulePeer,
} from '../policy/compiled-policy.util.js';
import { classifyAddress, peerMatches } from '../policy/compiled-policy.util.js';

/**
 * The part of a tenant's compiled policy that one instance (at address `ip`) needs to judge its own
 * traffic, so that a VM is given neither the whole tenant's text nor the addresses of deployments
 * that have nothing to do with it:
 *
 * - its own group's `in` and `out` rules, whole (they judge everything it receives and sends);
 * - of every other group, only the **allow** rules that could overrule one of this group's denies:
 *   their peer can match this instance (any, its group, its network, a block holding its address),
 *   and their priority is above the lowest deny of this group's opposite chain (another group's `in`
 *   rules judge what this instance sends, against its `out` denies; their `out` rules what it
 *   receives, against its `in` denies). Left out, such an allow would let this end drop what the
 *   verdict allows.
 *
 * Every other rule of other groups is left out: where one of their denies decides, the far end's own
 * ruleset (which holds its group's rules whole) drops the packet; their allows that outrank no deny
 * here change nothing here. So each end reaches "allow" whenever the verdict does, and "deny" is
 * reached by at least one of the two ends: a connection between two instances that each load their
 * own scoped ruleset does what the verdict says (the packet tests check it). Blocks of groups and
 * networks that no kept rule needs are not rendered.
 */
export function scopeToInstance(compiled: CompiledPolicy, ip: bigint): CompiledPolicy {
  const self = classifyAddress(compiled, ip);
  const own = self.group === undefined ? undefined : compiled.groups.get(self.group);
  const lowestDeny = (rules: readonly CompiledRule[]) =>
    Math.min(...rules.filter((r) => r.action === 'deny').map((r) => r.priority));
  const floor = { in: own ? lowestDeny(own.out) : Infinity, out: own ? lowestDeny(own.in) : Infinity };
  const overrules = (r: CompiledRule) =>
    r.action === 'allow' && r.priority > floor[r.direction] && peerMatches(r.peer, self);
  const groups = new Map<string, CompiledGroup>();
  for (const [name, group] of compiled.groups) {
    if (group === own) {
      groups.set(name, group);
      continue;
    }
    const kept = { ...group, in: group.in.filter(overrules), out: group.out.filter(overrules) };
    if (kept.in.length > 0 || kept.out.length > 0) groups.set(name, kept);
  }
  const named = new Set<string>();
  const note = (peer: RulePeer) => {
    if (peer.kind === 'group' || peer.kind === 'network') named.add(`${peer.kind}:${peer.name}`);
  };
  for (const g of groups.values()) [...g.in, ...g.out].forEach((r) => note(r.peer));
  const blocks = compiled.blocks.filter(
    (b) =>
      (b.group !== undefined && (groups.has(b.group) || named.has(`group:${b.group}`))) ||
      (b.network !== undefined && named.has(`network:${b.network}`)),
  );
  return { blocks, groups, networks: compiled.networks.filter((n) => named.has(`network:${n}`)) };
}
