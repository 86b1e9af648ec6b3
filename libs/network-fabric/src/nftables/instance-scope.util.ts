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
 * - of every other group, only the **allow** rules whose peer can match this instance (any, its group,
 *   its network, a block holding its address): an allow of the far end can outrank one of this
 *   group's denies, so leaving it out would drop what the verdict allows. The other group's denies
 *   are left out: where one of them decides, the far end's own ruleset (which holds its group's rules
 *   whole) drops the packet, so the pair of ends still obeys the verdict.
 *
 * Every group a kept rule names stays a set (with its addresses); blocks of groups and networks that
 * nothing kept names are not rendered. So each end reaches "allow" exactly when the verdict does, and
 * "deny" is reached by at least one of the two ends: what a connection between two instances that
 * both load their own scoped ruleset does equals the verdict (the packet test checks it).
 */
export function scopeToInstance(compiled: CompiledPolicy, ip: bigint): CompiledPolicy {
  const self = classifyAddress(compiled, ip);
  const groups = new Map<string, CompiledGroup>();
  const judgesSelf = (r: CompiledRule) => r.action === 'allow' && peerMatches(r.peer, self);
  for (const [name, group] of compiled.groups) {
    if (name === self.group) {
      groups.set(name, group);
      continue;
    }
    const kept = { ...group, in: group.in.filter(judgesSelf), out: group.out.filter(judgesSelf) };
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
