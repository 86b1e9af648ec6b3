import { ruleRefusals, ruleSelects, type PlacementRule } from './placement-rules.util.js';

const db = { name: 'db', uses: { name: 'postgres' } };
const web = { name: 'web' };

describe('placement rules', () => {
  it('select tiers by name pattern or by the service they use; no selector selects all', () => {
    expect(ruleSelects({ tiers: ['db'] }, db)).toBe(true);
    expect(ruleSelects({ tiers: ['*-db', 'd*'] }, db)).toBe(true);
    expect(ruleSelects({ tiers: ['*-db'] }, { name: 'orders-db' })).toBe(true);
    expect(ruleSelects({ tiers: ['*-db'] }, web)).toBe(false);
    expect(ruleSelects({ tiers: ['a*b*c'] }, { name: 'abc' })).toBe(true);
    expect(ruleSelects({ tiers: ['a*b*c'] }, { name: 'acb' })).toBe(false);
    expect(ruleSelects({ services: ['postgres', 'mysql'] }, db)).toBe(true);
    expect(ruleSelects({ services: ['postgres'] }, web)).toBe(false);
    expect(ruleSelects({}, web)).toBe(true);
  });

  it('refuse an environment without a required tag, or with a forbidden one, saying which rule', () => {
    const rules: PlacementRule[] = [
      { kind: 'require-tag', tag: 'on-prem', services: ['postgres'], description: 'data stays on premises' },
      { kind: 'forbid-tag', tag: 'deprecated' },
    ];
    expect(ruleRefusals(rules, db, ['on-prem'])).toEqual([]);
    expect(ruleRefusals(rules, db, ['cloud'])).toEqual([
      'rule 1 (data stays on premises): db goes only to environments tagged on-prem',
    ]);
    expect(ruleRefusals(rules, web, ['deprecated'])).toEqual([
      'rule 2: web never goes to environments tagged deprecated',
    ]);
    expect(ruleRefusals(rules, web, [])).toEqual([]);
  });
});
