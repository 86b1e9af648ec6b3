import { describe, expect, it } from '@jest/globals';
import type { Plan } from '../api/types';
import { cheapestEnvironment, cheapestMix, type PricedPlan } from './cost-compare';

const priced = (environment: string, tiers: Record<string, string>, currency = 'USD'): PricedPlan => {
  const total = Object.values(tiers)
    .reduce((a, b) => a + Number(b), 0)
    .toFixed(2);
  return {
    environment,
    plan: {
      currency,
      total: { monthly: { amount: total, currency } },
      tiers: Object.entries(tiers).map(([tier, amount]) => ({
        tier,
        total: { monthly: { amount, currency } },
      })),
    } as unknown as Plan,
  };
};

describe('cost comparison', () => {
  it('marks the environment of the least monthly total, in the currency most plans use', () => {
    const plans = [
      priced('eu', { app: '1.00' }, 'EUR'),
      priced('aws', { app: '30.00' }),
      priced('vs', { app: '20.00' }),
    ];
    expect(cheapestEnvironment(plans)).toBe('vs');
  });

  it('puts each tier where it costs least, the rest on the cheapest environment', () => {
    const plans = [
      priced('aws', { db: '30.00', web: '15.00' }),
      priced('vs', { db: '14.00', web: '7.00' }),
      priced('budget', { db: '370.00', web: '1.00' }),
    ];
    expect(cheapestMix(plans)).toEqual({ default: 'vs', tiers: { web: 'budget' } });
  });

  it('has no mix when one environment is cheapest for every tier (ties stay there)', () => {
    const plans = [priced('aws', { db: '30.00', web: '7.00' }), priced('vs', { db: '14.00', web: '7.00' })];
    expect(cheapestMix(plans)).toBeUndefined();
  });
});
