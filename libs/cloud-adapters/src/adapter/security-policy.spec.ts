import { ruleKey, splitForSecurityGroup, type SecurityRule } from './security-policy.js';

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
