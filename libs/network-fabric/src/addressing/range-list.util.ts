import { formatIp } from './ip.util.js';
import type { Span } from './subnet.util.js';

/** Collapses sorted, distinct values into spans of consecutive values. */
export function toSpans(sorted: readonly bigint[]): Span[] {
  const spans: Span[] = [];
  for (const value of sorted) {
    const last = spans.at(-1);
    if (last && value === last.end + 1n) last.end = value;
    else spans.push({ start: value, end: value });
  }
  return spans;
}

/** The parts of `base` not covered by any of `holes` (holes in any order, may overlap). */
export function subtractSpans(base: Span, holes: readonly Span[]): Span[] {
  const sorted = [...holes].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Span[] = [];
  let cursor = base.start;
  for (const hole of sorted) {
    if (hole.end < cursor || hole.start > base.end) continue;
    if (hole.start > cursor) out.push({ start: cursor, end: hole.start - 1n });
    cursor = hole.end + 1n;
    if (cursor > base.end) return out;
  }
  if (cursor <= base.end) out.push({ start: cursor, end: base.end });
  return out;
}

export function spanSize(spans: readonly Span[]): bigint {
  return spans.reduce((n, s) => n + (s.end - s.start + 1n), 0n);
}

/** Contiv's inspect format: `"60.1.1.1-60.1.1.2, 60.1.1.254"`. */
export function formatSpans(family: 4 | 6, spans: readonly Span[]): string {
  return spans
    .map((s) =>
      s.start === s.end
        ? formatIp(family, s.start)
        : `${formatIp(family, s.start)}-${formatIp(family, s.end)}`,
    )
    .join(', ');
}

/** Tags (VLAN/VXLAN ids) in the same compact form: `"1-3, 7"`. */
export function formatTagSpans(spans: readonly Span[]): string {
  return spans.map((s) => (s.start === s.end ? `${s.start}` : `${s.start}-${s.end}`)).join(', ');
}
