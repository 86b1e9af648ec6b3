import { parseIPv4 } from '../addressing/ip.util.js';
import { subtractSpans } from '../addressing/range-list.util.js';
import { parsePool, parseSubnet, type Span } from '../addressing/subnet.util.js';
import type { RuleConfig } from '../model/objects.model.js';
import type { Party, PolicyState, Verdict } from './policy.types.js';

/** An inclusive range of IPv4 addresses and who an address in it is, for rules. */
export interface AddressBlock extends Span {
  group?: string;
  network?: string;
}

/** The peer a rule names: anyone, a group's or network's addresses, or an address block. */
export type RulePeer =
  | { kind: 'any' }
  | { kind: 'group'; name: string }
  | { kind: 'network'; name: string }
  | { kind: 'block'; start: bigint; prefix: number };

export interface CompiledRule {
  policy: string;
  ruleId: string;
  direction: 'in' | 'out';
  /** Effective priority: 1..100, 0 counts as 1. */
  priority: number;
  action: 'allow' | 'deny';
  /** The source of an in rule, the destination of an out rule. */
  peer: RulePeer;
  /** IP protocol number; undefined: any. */
  protocol?: number;
  /** Destination port; 0: any. */
  port: number;
}

export interface CompiledGroup {
  name: string;
  network: string;
  /** Rules of the policies attached to the group, in deciding order (see `outranks`). */
  in: CompiledRule[];
  out: CompiledRule[];
}

/**
 * A tenant's policy state in the one form every enforcement reads: the address space cut into
 * disjoint blocks that say which group and network an address belongs to, and each group's rules
 * in deciding order. The verdict evaluates it (`decide`), and the nftables ruleset is written from it.
 */
export interface CompiledPolicy {
  /** Sorted, disjoint. */
  blocks: AddressBlock[];
  /** By name, in name order. */
  groups: ReadonlyMap<string, CompiledGroup>;
  networks: readonly string[];
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17 };

/** tcp, udp, icmp (any case) or a decimal number; NaN for anything else, including empty. */
export function protocolNumber(text: string): number {
  return PROTOCOL_NUMBERS[text.toLowerCase()] ?? (/^\d+$/.test(text) ? Number(text) : NaN);
}

export function effectivePriority(rule: Pick<RuleConfig, 'priority'>): number {
  return rule.priority === 0 ? 1 : rule.priority;
}

/** Deciding order: higher priority first, then deny before allow, then policy:ruleId (determinism). */
export function outranks(a: CompiledRule, b: CompiledRule): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.action !== b.action) return a.action === 'deny';
  return `${a.policy}:${a.ruleId}` < `${b.policy}:${b.ruleId}`;
}

export function compilePolicyState(state: PolicyState): CompiledPolicy {
  const byPolicy = new Map<string, CompiledRule[]>();
  for (const rule of state.rules) {
    const compiled = compileRule(rule);
    if (compiled) byPolicy.set(rule.policyName, [...(byPolicy.get(rule.policyName) ?? []), compiled]);
  }
  const order = (x: CompiledRule, y: CompiledRule) => (outranks(x, y) ? -1 : outranks(y, x) ? 1 : 0);
  const groups = new Map<string, CompiledGroup>();
  for (const g of [...state.groups].sort((a, b) => byName(a.groupName, b.groupName))) {
    if (groups.has(g.groupName)) continue;
    const rules = [...new Set(g.policies)].flatMap((p) => byPolicy.get(p) ?? []);
    groups.set(g.groupName, {
      name: g.groupName,
      network: g.networkName,
      in: rules.filter((r) => r.direction === 'in').sort(order),
      out: rules.filter((r) => r.direction === 'out').sort(order),
    });
  }
  const networks = [...new Set(state.networks.map((n) => n.networkName))].sort(byName);
  return { blocks: addressBlocks(state), groups, networks };
}

/** Code-point order, the same on every machine and locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// A rule that can match nothing (an address or protocol that does not parse; validated rules never
// have one) is left out: it can decide no query and no packet.
function compileRule(rule: RuleConfig): CompiledRule | undefined {
  const inbound = rule.direction !== 'out';
  const peer = peerOf(
    inbound ? rule.fromEndpointGroup : rule.toEndpointGroup,
    inbound ? rule.fromNetwork : rule.toNetwork,
    inbound ? rule.fromIpAddress : rule.toIpAddress,
  );
  const protocol = rule.protocol === '' ? undefined : protocolNumber(rule.protocol);
  if (!peer || Number.isNaN(protocol)) return undefined;
  return {
    policy: rule.policyName,
    ruleId: rule.ruleId,
    direction: inbound ? 'in' : 'out',
    priority: effectivePriority(rule),
    action: rule.action === 'deny' ? 'deny' : 'allow',
    peer,
    ...(protocol === undefined ? {} : { protocol }),
    port: rule.port,
  };
}

function peerOf(group: string, network: string, address: string): RulePeer | undefined {
  if (group !== '') return { kind: 'group', name: group };
  if (network !== '') return { kind: 'network', name: network };
  if (address === '') return { kind: 'any' };
  const [base, len, ...rest] = address.split('/');
  const value = parseIPv4(base ?? '');
  const prefix = len === undefined ? 32 : /^\d+$/.test(len) ? Number(len) : NaN;
  if (value === undefined || rest.length > 0 || !(prefix >= 0 && prefix <= 32)) return undefined;
  const hostBits = BigInt(32 - prefix);
  return { kind: 'block', start: (value >> hostBits) << hostBits, prefix };
}

/**
 * Who each address is: an endpoint's address is its endpoint's group and network; else an address
 * in a group's pool is that group's (and its network's); else one in a network's subnet is that
 * network's. Where pools or subnets overlap (validation keeps them apart) the one listed first wins.
 */
function addressBlocks(state: PolicyState): AddressBlock[] {
  let ranges: AddressBlock[] = [];
  const paint = (block: AddressBlock) => {
    ranges = [...ranges.flatMap((r) => subtractSpans(r, [block]).map((s) => ({ ...r, ...s }))), block].sort(
      byStart,
    );
  };
  for (const n of [...state.networks].reverse()) {
    const subnet = parseSubnet(n.subnet);
    if (subnet.ok && subnet.value.family === 4) {
      paint({ start: subnet.value.network, end: subnet.value.broadcast, network: n.networkName });
    }
  }
  for (const g of [...state.groups].reverse()) {
    const pool = g.ipPool === '' ? undefined : parsePool(g.ipPool);
    if (pool?.ok) paint({ ...pool.value, group: g.groupName, network: g.networkName });
  }
  const points = new Map<bigint, AddressBlock>();
  for (const e of state.endpoints) {
    const ip = parseIPv4(e.ipAddress);
    if (ip === undefined || points.has(ip)) continue;
    points.set(ip, {
      start: ip,
      end: ip,
      network: e.networkName,
      ...(e.groupName ? { group: e.groupName } : {}),
    });
  }
  const holes = [...points.values()];
  return [...ranges.flatMap((r) => subtractSpans(r, holes).map((s) => ({ ...r, ...s }))), ...holes].sort(
    byStart,
  );
}

function byStart(a: Span, b: Span): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

/** The group and network of an address, from the compiled blocks. */
export function classifyAddress(compiled: CompiledPolicy, ip: bigint): Party {
  let lo = 0;
  let hi = compiled.blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const block = compiled.blocks[mid] as AddressBlock;
    if (ip < block.start) hi = mid - 1;
    else if (ip > block.end) lo = mid + 1;
    else
      return {
        ip,
        ...(block.group === undefined ? {} : { group: block.group }),
        ...(block.network === undefined ? {} : { network: block.network }),
      };
  }
  return { ip };
}

/**
 * May `from` reach `to` on protocol/port? The first matching rule of the destination group's `in`
 * rules and of the source group's `out` rules; the one that outranks the other decides (so the
 * highest priority wins and deny wins a tie); with neither, traffic is allowed.
 */
export function decide(
  compiled: CompiledPolicy,
  from: Party,
  to: Party,
  protocol: string,
  port: number,
): Verdict {
  const number = protocolNumber(protocol);
  const group = (name: string | undefined) => (name === undefined ? undefined : compiled.groups.get(name));
  const toGroup = group(to.group);
  const fromGroup = group(from.group);
  const inbound = toGroup && firstMatch(toGroup.in, from, number, port);
  const outbound = fromGroup && firstMatch(fromGroup.out, to, number, port);
  const best =
    inbound && outbound ? (outranks(outbound, inbound) ? outbound : inbound) : (inbound ?? outbound);
  if (!best) return { action: 'allow', decidedBy: 'default allow' };
  return {
    action: best.action,
    decidedBy: {
      policy: best.policy,
      ruleId: best.ruleId,
      priority: best.priority,
      direction: best.direction,
    },
  };
}

/**
 * One direction's rules of a group by what their peers name: the positions (in deciding order) of
 * the rules naming each group, each network, and of the rest (anyone, address blocks). A group
 * holds the rules of all its policies, most naming one other group, so a verdict looks only at the
 * few that can match its party.
 */
interface PeerIndex {
  byGroup: Map<string, number[]>;
  byNetwork: Map<string, number[]>;
  other: number[];
}

// keyed by the rules array: a compiled policy is not changed once made, and a new one has new arrays
const peerIndexes = new WeakMap<readonly CompiledRule[], PeerIndex>();

function peerIndexOf(rules: readonly CompiledRule[]): PeerIndex {
  let index = peerIndexes.get(rules);
  if (index) return index;
  index = { byGroup: new Map(), byNetwork: new Map(), other: [] };
  const add = (map: Map<string, number[]>, name: string, i: number) => {
    const list = map.get(name);
    if (list) list.push(i);
    else map.set(name, [i]);
  };
  rules.forEach((rule, i) => {
    const peer = rule.peer;
    if (peer.kind === 'group') add(index.byGroup, peer.name, i);
    else if (peer.kind === 'network') add(index.byNetwork, peer.name, i);
    else index.other.push(i);
  });
  peerIndexes.set(rules, index);
  return index;
}

/** The first of the rules (in deciding order) for this protocol/port whose peer matches the party. */
export function firstMatch(
  rules: readonly CompiledRule[],
  party: Party,
  protocol: number,
  port: number,
): CompiledRule | undefined {
  const index = peerIndexOf(rules);
  let best = rules.length;
  // each list is in deciding order: its first match is its best, and none after `best` can win
  const scan = (positions: number[] | undefined, checkPeer: boolean) => {
    if (!positions) return;
    for (const i of positions) {
      if (i >= best) return;
      const r = rules[i]!;
      if (r.protocol !== undefined && r.protocol !== protocol) continue;
      if (r.port !== 0 && r.port !== port) continue;
      if (checkPeer && !peerMatches(r.peer, party)) continue;
      best = i;
      return;
    }
  };
  if (party.group !== undefined) scan(index.byGroup.get(party.group), false);
  if (party.network !== undefined) scan(index.byNetwork.get(party.network), false);
  scan(index.other, true);
  return rules[best];
}

/** Does the peer match the party? An address block can only judge a party whose address is known. */
export function peerMatches(peer: RulePeer, party: Party): boolean {
  switch (peer.kind) {
    case 'any':
      return true;
    case 'group':
      return party.group === peer.name;
    case 'network':
      return party.network === peer.name;
    case 'block': {
      const hostBits = BigInt(32 - peer.prefix);
      return party.ip !== undefined && party.ip >> hostBits === peer.start >> hostBits;
    }
  }
}
