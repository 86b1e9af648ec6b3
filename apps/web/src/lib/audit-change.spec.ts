import { describe, expect, it } from '@jest/globals';
import { auditChange, valueText } from './audit-change';

describe('audit change', () => {
  it('lists each changed field as "Field: old → new", leaving out unchanged and bookkeeping fields', () => {
    expect(
      auditChange(
        { id: 'x', role: 'member', email: null, name: 'ann', updatedAt: '1' },
        { id: 'x', role: 'operator', email: 'a@b.c', name: 'ann', updatedAt: '2' },
      ),
    ).toEqual({ kind: 'changed', lines: ['Role: member → operator', 'Email: none → a@b.c'] });
  });

  it('lists the fields of what was created or removed', () => {
    expect(auditChange(null, { name: 'ops', role: 'admin', tenantId: 't' })).toEqual({
      kind: 'created',
      lines: ['Name: ops', 'Role: admin'],
    });
    expect(auditChange({ name: 'ops' }, null)).toEqual({ kind: 'removed', lines: ['Name: ops'] });
    expect(auditChange(null, null)).toEqual({ kind: 'none', lines: [] });
  });

  it('writes values without quotes, braces or brackets', () => {
    expect(valueText({ default: 'aws', tiers: { db: 'vs' } })).toBe('Default aws, Tiers DB vs');
    expect(valueText(['a', 'b'])).toBe('a, b');
    expect(valueText(true)).toBe('yes');
    expect(valueText([])).toBe('none');
  });
});
