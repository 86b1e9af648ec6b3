import { labelFromName } from './params';

type Fields = Record<string, unknown> | null;

/** What an audit entry did to its target, in lines a person reads ("Role: member → operator"). */
export interface AuditChange {
  kind: 'created' | 'removed' | 'changed' | 'none';
  lines: string[];
}

/** A stored value in words: no quotes, braces or brackets. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(valueText).join(', ');
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return 'none';
    return entries.map(([k, v]) => `${labelFromName(k)} ${valueText(v)}`).join(', ');
  }
  return String(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// bookkeeping every row has; the entry's own columns already say who, what and when
const BOOKKEEPING = new Set(['id', 'tenantId', 'createdAt', 'updatedAt']);
const LONGEST = 160;

function line(key: string, text: string): string {
  const full = `${labelFromName(key)}: ${text}`;
  return full.length > LONGEST ? `${full.slice(0, LONGEST - 1)}…` : full;
}

export function auditChange(before: Fields, after: Fields): AuditChange {
  if (!before && !after) return { kind: 'none', lines: [] };
  if (!before || !after) {
    const fields = Object.entries((before ?? after) as Record<string, unknown>);
    return {
      kind: before ? 'removed' : 'created',
      lines: fields.filter(([k]) => !BOOKKEEPING.has(k)).map(([k, v]) => line(k, valueText(v))),
    };
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return {
    kind: 'changed',
    lines: keys
      .filter((k) => !BOOKKEEPING.has(k) && !same(before[k], after[k]))
      .map((k) => line(k, `${valueText(before[k])} → ${valueText(after[k])}`)),
  };
}
