import { ruleKey, splitForSecurityGroup, uniqueRules, type SecurityRule } from './security-policy.js';

describe('splitForSecurityGroup', () => {
  it('returns deny rules as unsupported instead of dropping them', () => {
    const allow: SecurityRule = { direction: 'ingress', action: 'allow', protocol: 'tcp', fromPort: 443 };
    const deny: SecurityRule = { direction: 'ingress', action: 'deny', protocol: 'tcp', fromPort: 22 };
    const { expressible, unsupported } = splitForSecurityGroup([allow, deny]);
    expect(expressible).toEqual([allow]);
    expect(unsupported).toEqual([{ rule: deny, reason: expect.stringContaining('deny') }]);
  });

  it('keys rules so that "anywhere" and 0.0.0.0/0 are the same', () => {
    const a: SecurityRule = { direction: 'egress', action: 'allow', protocol: 'any' };
    expect(ruleKey(a)).toBe(ruleKey({ ...a, cidr: '0.0.0.0/0', fromPort: 1 }));
  });
});

describe('uniqueRules', () => {
  it('keeps one of each identical rule, in order, whatever their priority', () => {
    const toDb: SecurityRule = {
      direction: 'ingress',
      action: 'allow',
      protocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
      cidr: '10.1.0.0/24',
    };
    const ssh: SecurityRule = { ...toDb, fromPort: 22, toPort: 22 };
    expect(uniqueRules([toDb, ssh, { ...toDb, priority: 7 }, ssh])).toEqual([toDb, ssh]);
  });

  it('keeps rules that differ in direction, port or range', () => {
    const rule: SecurityRule = { direction: 'ingress', action: 'allow', protocol: 'tcp', fromPort: 80 };
    const others: SecurityRule[] = [
      { ...rule, direction: 'egress' },
      { ...rule, fromPort: 81 },
      { ...rule, cidr: '10.0.0.0/8' },
    ];
    expect(uniqueRules([rule, ...others])).toEqual([rule, ...others]);
  });
});
