import type { DeploymentPlan } from '@switchyard/blueprints';
import { cheapestPlan } from './blueprint-from-price.service.js';

const plan = (environment: string, monthly: string, currency = 'USD') =>
  ({
    currency,
    total: { hourly: { amount: '0', currency }, monthly: { amount: monthly, currency } },
    tiers: [{ environment }],
  }) as unknown as DeploymentPlan;

describe('cheapestPlan (the catalog card\'s "from" price)', () => {
  it('picks the least monthly amount, exactly (decimals, not floats), the first on a tie', () => {
    const picked = cheapestPlan([plan('a', '100.10'), plan('b', '100.09'), plan('c', '100.09')]);
    expect(picked?.tiers[0]?.environment).toBe('b');
  });

  it('compares only within the currency most plans use', () => {
    const picked = cheapestPlan([plan('eu', '1.00', 'EUR'), plan('us1', '50.00'), plan('us2', '40.00')]);
    expect(picked?.tiers[0]?.environment).toBe('us2');
  });

  it('has nothing to pick without plans', () => {
    expect(cheapestPlan([])).toBeUndefined();
  });
});
