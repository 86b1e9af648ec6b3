import { formatIPv4 } from '../addressing/ip.util.js';
import type { Span } from '../addressing/subnet.util.js';
import type { CompiledPolicy, CompiledRule, RulePeer } from '../policy/compiled-policy.util.js';
import { nftComment, nftIdentifier } from './nft-names.util.js';

// The verdict's "best rule wins" in the kernel: each packet gets a score in the low byte of its mark,
// priority * 2 + 1 for deny (so deny wins a tie), the highest of the first matching `in` rule of the
// destination's group and the first matching `out` rule of the source's group. Odd drops, 0 (no rule)
// and even accept. The other 24 bits of the mark are left as they were.
const SCORE = '0x000000ff';
const KEEP = '0xffffff00';
const PORT_PROTOCOLS = '{ tcp, udp, udplite, sctp, dccp }';
const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp' };

/** The table one tenant's ruleset lives in. */
export function tableName(tenant: string): string {
  return nftIdentifier('switchyard', tenant);
}

/**
 * One tenant's policy as an nftables ruleset for `nft -f`: replaces the tenant's table atomically
 * (create, delete, define in one transaction). Every VM or namespace of the tenant loads the same
 * text; its input and output hooks judge the traffic it receives and sends, stateful (replies to an
 * allowed connection pass, invalid packets drop). The destination's group is found with one lookup
 * in a verdict map keyed by address (`ip daddr vmap`), the source's with another (`ip saddr vmap`),
 * each jumping to that group's chain of rules in deciding order; peers are named address sets.
 * The same state always gives the same text.
 */
export function renderRuleset(compiled: CompiledPolicy, tenant: string): string {
  const table = tableName(tenant);
  const groups = [...compiled.groups.values()];
  const peers = groups.flatMap((g) => [...g.in, ...g.out]).map((r) => r.peer);
  const named = (kind: 'group' | 'network') =>
    [...new Set(peers.flatMap((p) => (p.kind === kind ? [p.name] : [])))].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
  const spansOf = (pick: (b: CompiledPolicy['blocks'][number]) => boolean) =>
    merge(compiled.blocks.filter(pick));
  const lines: string[] = [
    `# Switchyard fabric policy of tenant "${tenant}", compiled from its groups, policies and rules.`,
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
  ];
  for (const name of named('group')) {
    lines.push(
      ...set(
        nftIdentifier('grp', name),
        spansOf((b) => b.group === name),
      ),
    );
  }
  for (const name of named('network')) {
    lines.push(
      ...set(
        nftIdentifier('net', name),
        spansOf((b) => b.network === name),
      ),
    );
  }
  for (const direction of ['in', 'out'] as const) {
    const elements = groups
      .filter((g) => g[direction].length > 0)
      .flatMap((g) =>
        spansOf((b) => b.group === g.name).map((s) => ({
          start: s.start,
          text: `${element(s)} : jump ${nftIdentifier(direction, g.name)}`,
        })),
      )
      .sort((a, b) => (a.start < b.start ? -1 : 1))
      .map((e) => e.text);
    lines.push(`  map dispatch_${direction} {`, '    type ipv4_addr : verdict', '    flags interval');
    if (elements.length > 0) lines.push(`    elements = { ${elements.join(', ')} }`);
    lines.push('  }');
  }
  for (const g of groups) {
    for (const direction of ['in', 'out'] as const) {
      if (g[direction].length === 0) continue;
      lines.push(`  chain ${nftIdentifier(direction, g.name)} {`);
      lines.push(...g[direction].map((r) => `    ${statement(r)}`));
      lines.push('  }');
    }
  }
  lines.push(
    '  chain decide {',
    '    ct state established,related accept',
    '    ct state invalid drop',
    `    meta mark set meta mark & ${KEEP}`,
    '    ip daddr vmap @dispatch_in',
    '    ip saddr vmap @dispatch_out',
    `    meta mark & 0x00000001 == 0x00000001 meta mark set meta mark & ${KEEP} drop`,
    `    meta mark set meta mark & ${KEEP} accept`,
    '  }',
    '  chain input {',
    '    type filter hook input priority filter; policy accept;',
    '    iif "lo" accept',
    '    jump decide',
    '  }',
    '  chain output {',
    '    type filter hook output priority filter; policy accept;',
    '    oif "lo" accept',
    '    jump decide',
    '  }',
    '}',
  );
  return lines.join('\n') + '\n';
}

/** The score a rule leaves in the mark: 2..201. */
export function ruleScore(rule: Pick<CompiledRule, 'priority' | 'action'>): number {
  return rule.priority * 2 + (rule.action === 'deny' ? 1 : 0);
}

function statement(rule: CompiledRule): string {
  const side = rule.direction === 'in' ? 'saddr' : 'daddr';
  const score = ruleScore(rule);
  return [
    peerMatch(rule.peer, side),
    protocolMatch(rule),
    `meta mark & ${SCORE} < ${score} meta mark set meta mark & ${KEEP} | ${score} return`,
    `comment ${nftComment(`${rule.policy}:${rule.ruleId}`)}`,
  ]
    .filter((part) => part !== '')
    .join(' ');
}

function peerMatch(peer: RulePeer, side: 'saddr' | 'daddr'): string {
  switch (peer.kind) {
    case 'any':
      return '';
    case 'group':
      return `ip ${side} @${nftIdentifier('grp', peer.name)}`;
    case 'network':
      return `ip ${side} @${nftIdentifier('net', peer.name)}`;
    case 'block':
      return `ip ${side} ${formatIPv4(peer.start)}${peer.prefix === 32 ? '' : `/${peer.prefix}`}`;
  }
}

// A port goes with tcp or udp (the API refuses it with anything else); a stored rule that still
// pairs one with no protocol, or another, matches the destination port of whatever packet has one.
function protocolMatch(rule: CompiledRule): string {
  const name =
    rule.protocol === undefined ? undefined : (PROTOCOL_NAMES[rule.protocol] ?? String(rule.protocol));
  if (rule.port === 0) return name === undefined ? '' : `meta l4proto ${name}`;
  if (name === 'tcp' || name === 'udp') return `${name} dport ${rule.port}`;
  return `meta l4proto ${name ?? PORT_PROTOCOLS} th dport ${rule.port}`;
}

function set(name: string, spans: Span[]): string[] {
  return [
    `  set ${name} {`,
    '    type ipv4_addr',
    '    flags interval',
    ...(spans.length > 0 ? [`    elements = { ${spans.map(element).join(', ')} }`] : []),
    '  }',
  ];
}

function element(span: Span): string {
  return span.start === span.end
    ? formatIPv4(span.start)
    : `${formatIPv4(span.start)}-${formatIPv4(span.end)}`;
}

/** Sorted blocks as the fewest spans: neighbours joined. */
function merge(blocks: readonly Span[]): Span[] {
  const spans: Span[] = [];
  for (const b of blocks) {
    const last = spans.at(-1);
    if (last && b.start === last.end + 1n) last.end = b.end;
    else spans.push({ start: b.start, end: b.end });
  }
  return spans;
}
