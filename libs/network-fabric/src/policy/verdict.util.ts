import { FabricError, FabricErrorCode } from '../errors/fabric.exception.js';
import { parseIPv4 } from '../addressing/ip.util.js';
import { parsePool, parseSubnet } from '../addressing/subnet.util.js';
import type { EndpointGroupConfig, NetworkConfig, RuleConfig } from '../model/objects.model.js';

/** What the verdict needs of one tenant's config and endpoints. */
export interface PolicyState {
  groups: Pick<EndpointGroupConfig, 'groupName' | 'networkName' | 'ipPool' | 'policies'>[];
  networks: Pick<NetworkConfig, 'networkName' | 'subnet'>[];
  rules: RuleConfig[];
  endpoints: { ipAddress: string; groupName: string; networkName: string }[];
}

export interface VerdictQuery {
  /** A group name, a network name or an IPv4 address. */
  from: string;
  to: string;
  /** tcp, udp, icmp or a number; empty: the question is about traffic of no particular protocol. */
  protocol?: string;
  /** 0 or absent: no particular port. */
  port?: number;
}

export interface DecidingRule {
  policy: string;
  ruleId: string;
  priority: number;
  direction: 'in' | 'out';
}

export interface Verdict {
  action: 'allow' | 'deny';
  decidedBy: DecidingRule | 'default allow';
}

/** Who a packet comes from or goes to, as far as rules can tell. */
export interface Party {
  group?: string;
  network?: string;
  ip?: bigint;
}

const PROTOCOL_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17 };

/**
 * May `from` reach `to` on protocol/port? Rules act through the groups their policies are attached
 * to: `in` rules of the destination's groups and `out` rules of the source's groups. The highest
 * priority among matching rules decides (0 counts as 1); at equal priority deny wins; no match allows.
 */
export function verdict(state: PolicyState, query: VerdictQuery): Verdict {
  const from = resolveParty(state, query.from, 'from');
  const to = resolveParty(state, query.to, 'to');
  const matching = candidateRules(state, from, to).filter(
    (r) =>
      protocolMatches(r.protocol, query.protocol ?? '') && (r.port === 0 || r.port === (query.port ?? 0)),
  );
  let best: RuleConfig | undefined;
  for (const rule of matching) {
    if (!best || outranks(rule, best)) best = rule;
  }
  if (!best) return { action: 'allow', decidedBy: 'default allow' };
  return {
    action: best.action === 'deny' ? 'deny' : 'allow',
    decidedBy: {
      policy: best.policyName,
      ruleId: best.ruleId,
      priority: effectivePriority(best),
      direction: best.direction === 'out' ? 'out' : 'in',
    },
  };
}

export function effectivePriority(rule: Pick<RuleConfig, 'priority'>): number {
  return rule.priority === 0 ? 1 : rule.priority;
}

// Higher priority first, then deny over allow; the rest only makes the answer deterministic.
function outranks(a: RuleConfig, b: RuleConfig): boolean {
  const pa = effectivePriority(a);
  const pb = effectivePriority(b);
  if (pa !== pb) return pa > pb;
  if (a.action !== b.action) return a.action === 'deny';
  return `${a.policyName}:${a.ruleId}` < `${b.policyName}:${b.ruleId}`;
}

function candidateRules(state: PolicyState, from: Party, to: Party): RuleConfig[] {
  const policiesOf = (group: string | undefined) =>
    new Set(group === undefined ? [] : (state.groups.find((g) => g.groupName === group)?.policies ?? []));
  const inbound = policiesOf(to.group);
  const outbound = policiesOf(from.group);
  return state.rules.filter(
    (r) =>
      (r.direction === 'in' && inbound.has(r.policyName) && peerMatches(r, 'from', from)) ||
      (r.direction === 'out' && outbound.has(r.policyName) && peerMatches(r, 'to', to)),
  );
}

/** Does the rule's peer on `side` (none set: anyone) match the party? */
export function peerMatches(rule: RuleConfig, side: 'from' | 'to', party: Party): boolean {
  const group = side === 'from' ? rule.fromEndpointGroup : rule.toEndpointGroup;
  const network = side === 'from' ? rule.fromNetwork : rule.toNetwork;
  const address = side === 'from' ? rule.fromIpAddress : rule.toIpAddress;
  if (group !== '') return party.group === group;
  if (network !== '') return party.network === network;
  // An address rule can only judge a party whose address is known.
  if (address !== '') return party.ip !== undefined && cidrContains(address, party.ip);
  return true;
}

export function protocolMatches(ruleProtocol: string, queryProtocol: string): boolean {
  if (ruleProtocol === '') return true;
  const number = (p: string) => PROTOCOL_NUMBERS[p.toLowerCase()] ?? (/^\d+$/.test(p) ? Number(p) : NaN);
  return number(ruleProtocol) === number(queryProtocol);
}

function cidrContains(cidr: string, ip: bigint): boolean {
  const [address, len] = cidr.split('/');
  const base = parseIPv4(address ?? '');
  if (base === undefined) return false;
  const bits = BigInt(32 - (len === undefined ? 32 : Number(len)));
  return base >> bits === ip >> bits;
}

/** Resolves a group name, network name or IPv4 address to what rules can match on. */
export function resolveParty(state: PolicyState, text: string, field: string): Party {
  const group = state.groups.find((g) => g.groupName === text);
  if (group) return { group: group.groupName, network: group.networkName };
  if (state.networks.some((n) => n.networkName === text)) return { network: text };
  const ip = parseIPv4(text);
  if (ip === undefined) {
    throw new FabricError(
      FabricErrorCode.NotFound,
      `${field}: "${text}" is not a group, network or IPv4 address of the tenant`,
      { issues: [{ path: field, message: 'is not a group, network or IPv4 address of the tenant' }] },
    );
  }
  const endpoint = state.endpoints.find((e) => e.ipAddress === text);
  if (endpoint)
    return {
      ip,
      network: endpoint.networkName,
      ...(endpoint.groupName ? { group: endpoint.groupName } : {}),
    };
  const inPool = state.groups.find((g) => {
    const pool = g.ipPool === '' ? undefined : parsePool(g.ipPool);
    return pool?.ok === true && ip >= pool.value.start && ip <= pool.value.end;
  });
  if (inPool) return { ip, group: inPool.groupName, network: inPool.networkName };
  const network = state.networks.find((n) => {
    const subnet = parseSubnet(n.subnet);
    return (
      subnet.ok && subnet.value.family === 4 && ip >= subnet.value.network && ip <= subnet.value.broadcast
    );
  });
  return network ? { ip, network: network.networkName } : { ip };
}
