import { parseDecimal } from '@switchyard/blueprints';
import {
  accrued,
  deploymentCost,
  moneyToCent,
  runRate,
  tierCost,
  type PricedPlan,
  type UsedInstance,
} from './deployment-cost.util.js';

// t3.small at 0.0208/h with a 20 GiB disk at 0.08/GiB-month: 1.60 a month, 0.002192 an hour
const usd = (amount: string) => ({ amount, currency: 'USD' });
const PLAN: PricedPlan = {
  currency: 'USD',
  tiers: [
    {
      tier: 'app',
      instanceType: { name: 't3.small', cpu: 2, memoryMiB: 2048, hourlyPrice: usd('0.0208') },
      perInstance: { hourly: usd('0.022992'), monthly: usd('16.784') },
    },
    {
      tier: 'db',
      instanceType: { name: 't3.medium', cpu: 2, memoryMiB: 4096, hourlyPrice: usd('0.0416') },
      perInstance: { hourly: usd('0.0416'), monthly: usd('30.368') },
    },
  ],
};

const T0 = new Date('2026-11-01T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const instance = (tier: string, state: UsedInstance['state'], from = 0, to = from): UsedInstance => ({
  tier,
  state,
  createdAt: at(from),
  updatedAt: at(to),
});
const rate = (instances: UsedInstance[]) => {
  const r = runRate(PLAN, instances);
  return { hourly: r.hourly, monthly: r.monthly };
};
const units = (amount: string) => parseDecimal(amount)!;

describe('runRate', () => {
  it('follows the instances billed now: three after a scale from two, two after one ends', () => {
    const two = [instance('app', 'running'), instance('app', 'running'), instance('db', 'running')];
    expect(tierCost(PLAN, 'app', two)).toEqual({ hourly: usd('0.045984'), monthly: usd('33.568') });
    const three = [...two, instance('app', 'running')];
    expect(tierCost(PLAN, 'app', three)).toEqual({ hourly: usd('0.068976'), monthly: usd('50.352') });
    const scaledDown = [...two, instance('app', 'terminated')];
    expect(tierCost(PLAN, 'app', scaledDown)).toEqual(tierCost(PLAN, 'app', two));
  });

  it('is zero when every instance is gone, and counts disks alone for stopped instances', () => {
    expect(rate([instance('app', 'terminated'), instance('db', 'missing')])).toEqual({
      hourly: 0n,
      monthly: 0n,
    });
    expect(tierCost(PLAN, 'app', [instance('app', 'stopped')])).toEqual({
      hourly: usd('0.002192'),
      monthly: usd('1.60'),
    });
    // a tier without disks costs nothing while stopped
    expect(tierCost(PLAN, 'db', [instance('db', 'stopped')])).toEqual({
      hourly: usd('0.00'),
      monthly: usd('0.00'),
    });
  });

  it('bills instances on their way up or down, and in error, as running', () => {
    for (const state of ['creating', 'pending', 'terminating', 'error'] as const) {
      expect(rate([instance('db', state)])).toEqual(rate([instance('db', 'running')]));
    }
  });
});

describe('accrued', () => {
  it('charges each instance from its creation to its end, to the cent', () => {
    const usage = {
      instances: [instance('app', 'running', 0), instance('app', 'terminated', 0, 5)],
      stopped: [],
    };
    // 10 h + 5 h at 0.022992
    expect(moneyToCent(accrued(PLAN, usage, { to: at(10) }), 'USD')).toEqual(usd('0.34'));
    expect(accrued(PLAN, usage, { to: at(10) })).toBe(units('0.34488'));
  });

  it('charges disks alone while the deployment was stopped', () => {
    const usage = {
      instances: [instance('app', 'running', 0)],
      stopped: [{ from: at(2), to: at(7) }],
    };
    // 5 h at 0.022992 and 5 h at 0.002192
    expect(accrued(PLAN, usage, { to: at(10) })).toBe(units('0.12592'));
    // stopped still: from 2 h on, disks only
    const still = { ...usage, stopped: [{ from: at(2), to: null }] };
    expect(accrued(PLAN, still, { to: at(10) })).toBe(units('0.063520'));
  });

  it('counts only what falls inside the window (month to date)', () => {
    const usage = { instances: [instance('db', 'running', -24)], stopped: [] };
    expect(accrued(PLAN, usage, { from: T0, to: at(10) })).toBe(units('0.416'));
    expect(accrued(PLAN, usage, { from: at(20), to: at(10) })).toBe(0n);
  });
});

describe('deploymentCost', () => {
  it('is zero for a deployment whose instances are all gone, with what they cost before', () => {
    const usage = { instances: [instance('db', 'terminated', 0, 10)], stopped: [] };
    expect(deploymentCost(PLAN, usage, at(100))).toEqual({
      hourly: usd('0.00'),
      monthly: usd('0.00'),
      soFar: usd('0.42'),
    });
  });
});
