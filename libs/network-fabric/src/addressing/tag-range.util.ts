import type { Span } from './subnet.util.js';

/** Tag spaces: the global VLAN and VXLAN pools, and the local VLANs of vxlan networks. */
export type TagSpace = 'vlan' | 'vxlan' | 'local-vlan';

export const VLAN_LIMITS = { min: 1, max: 4094 } as const;
export const VXLAN_LIMITS = { min: 1, max: 16777215, maxSpan: 16000 } as const;

/** Parses a tag range `a-b` (a single `a` means `a-a`). */
export function parseTagRange(text: string): Span | undefined {
  const m = /^(\d{1,9})(?:-(\d{1,9}))?$/.exec(text.trim());
  if (!m) return undefined;
  const start = BigInt(m[1] ?? '0');
  const end = BigInt(m[2] ?? m[1] ?? '0');
  return end < start ? undefined : { start, end };
}

/** Why `text` is not a range within min..max (and at most maxSpan tags), or undefined. */
export function tagRangeIssue(text: string, min: number, max: number, maxSpan?: number): string | undefined {
  const span = parseTagRange(text);
  if (!span) return `"${text}" is not a range a-b with a <= b`;
  if (span.start < BigInt(min) || span.end > BigInt(max)) return `range ${text} is not within ${min}..${max}`;
  if (maxSpan !== undefined && span.end - span.start + 1n > BigInt(maxSpan)) {
    return `range ${text} spans ${span.end - span.start + 1n} tags, at most ${maxSpan} allowed`;
  }
  return undefined;
}
