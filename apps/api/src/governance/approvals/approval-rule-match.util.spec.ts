import { approvalReasons, type ApprovalRule } from './approval-rule-match.util.js';

const usd = (amount: string) => ({ amount, currency: 'USD' });
const rule = (name: string, r: Partial<ApprovalRule>): ApprovalRule => ({
  id: name,
  name,
  monthlyCostAbove: null,
  environments: null,
  blueprints: null,
  expiresAfterMinutes: 60,
  ...r,
});

describe('approval rules', () => {
  const order = {
    blueprint: 'three-tier-shop',
    environments: ['aws-us-east-1', 'vsphere-dc1'],
    monthly: usd('120.50'),
  };

  it('holds an order for each rule whose every condition holds, saying why', () => {
    const rules = [
      rule('big', { monthlyCostAbove: usd('100') }),
      rule('small', { monthlyCostAbove: usd('500') }),
      rule('onprem', { environments: ['vsphere-*'] }),
      rule('shop-on-gcp', { blueprints: ['three-*'], environments: ['gcp-*'] }),
      rule('shop', { blueprints: ['three-tier-shop'], monthlyCostAbove: usd('120.49') }),
    ];
    expect(approvalReasons(rules, order)).toEqual([
      { rule: 'big', message: 'monthly cost 120.50 USD is above 100 USD' },
      { rule: 'onprem', message: 'places on vsphere-dc1' },
      { rule: 'shop', message: 'monthly cost 120.50 USD is above 120.49 USD; orders three-tier-shop' },
    ]);
  });

  it('lets an order through when no rule holds, and a cost equal to the limit is not above it', () => {
    expect(approvalReasons([rule('eq', { monthlyCostAbove: usd('120.50') })], order)).toEqual([]);
    expect(approvalReasons([], order)).toEqual([]);
  });

  it('holds every order under a rule without conditions, and a cost in another currency', () => {
    expect(approvalReasons([rule('all', {})], order)).toEqual([{ rule: 'all', message: 'every order' }]);
    const eur = approvalReasons([rule('eur', { monthlyCostAbove: { amount: '1', currency: 'EUR' } })], order);
    expect(eur[0]?.message).toMatch(/cannot be compared/);
  });
});
