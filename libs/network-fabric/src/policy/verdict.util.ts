import { FabricError, FabricErrorCode } from '../errors/fabric.exception.js';
import { parseIPv4 } from '../addressing/ip.util.js';
import { type CompiledPolicy, classifyAddress, compilePolicyState, decide } from './compiled-policy.util.js';
import type { Party, PolicyState, Verdict, VerdictQuery } from './policy.types.js';

export type { DecidingRule, Party, PolicyState, Verdict, VerdictQuery } from './policy.types.js';

/**
 * May `from` reach `to` on protocol/port? Answered from the compiled form the nftables rulesets are
 * written from (compiled-policy.util.ts): rules act through the groups their policies are attached
 * to, `in` rules of the destination's groups and `out` rules of the source's groups. The highest
 * priority among matching rules decides (0 counts as 1); at equal priority deny wins; no match allows.
 */
export function verdict(state: PolicyState, query: VerdictQuery): Verdict {
  const compiled = compilePolicyState(state);
  return decide(
    compiled,
    resolveParty(compiled, query.from, 'from'),
    resolveParty(compiled, query.to, 'to'),
    query.protocol ?? '',
    query.port ?? 0,
  );
}

/** Resolves a group name, network name or IPv4 address to what rules can match on. */
export function resolveParty(compiled: CompiledPolicy, text: string, field: string): Party {
  const group = compiled.groups.get(text);
  if (group) return { group: group.name, network: group.network };
  if (compiled.networks.includes(text)) return { network: text };
  const ip = parseIPv4(text);
  if (ip === undefined) {
    throw new FabricError(
      FabricErrorCode.NotFound,
      `${field}: "${text}" is not a group, network or IPv4 address of the tenant`,
      { issues: [{ path: field, message: 'is not a group, network or IPv4 address of the tenant' }] },
    );
  }
  return classifyAddress(compiled, ip);
}
