import { costText, costUnits, planAmounts, quantity, shown, type QuotaPlan } from './quota-amounts.js';

const plan: QuotaPlan = {
  currency: 'USD',
  tiers: [
    {
      tier: 'web',
      environment: 'aws',
      count: 2,
      instanceType: { cpu: 2, memoryMiB: 2048 },
      perInstance: { monthly: { amount: '15.184' } },
    },
    {
      tier: 'app',
      environment: 'aws',
      count: 3,
      instanceType: { cpu: 4, memoryMiB: 16384 },
      perInstance: { monthly: { amount: '140.16' } },
    },
    {
      tier: 'db',
      environment: 'vsphere',
      count: 1,
      instanceType: { cpu: 2, memoryMiB: 4096 },
      perInstance: { monthly: { amount: '14.6' } },
    },
  ],
};

describe('quota amounts', () => {
  it('adds a plan up per environment: instances, vCPUs, memory and the exact monthly cost', () => {
    expect(Object.fromEntries(planAmounts(plan))).toEqual({
      aws: { instances: 5, vcpus: 16, memoryMiB: 53248, monthlyCost: '450.848', currency: 'USD' },
      vsphere: { instances: 1, vcpus: 2, memoryMiB: 4096, monthlyCost: '14.60', currency: 'USD' },
    });
  });

  it('counts a tier at another count (a scale takes the larger of its old and new counts)', () => {
    const scaled = planAmounts(plan, (t) => (t.tier === 'app' ? Math.max(t.count, 5) : t.count));
    expect(scaled.get('aws')).toMatchObject({ instances: 7, vcpus: 24, monthlyCost: '731.168' });
    expect(scaled.get('vsphere')).toMatchObject({ instances: 1 });
  });

  it('keeps money exact: Postgres numeric text in, the same amount out, no float on the way', () => {
    expect(costUnits('0.1') + costUnits('0.2')).toBe(costUnits('0.3'));
    expect(costText(costUnits('12.5000000000'))).toBe('12.50');
    expect(costText(costUnits('0.0000000001'))).toBe('0.0000000001');
    expect(quantity({ instances: 1, vcpus: 2, memoryMiB: 3, monthlyCost: '4.5' }, 'monthlyCost')).toBe(
      45_000_000_000n,
    );
    expect(() => costUnits('-1')).toThrow('not a decimal amount');
  });

  it('counts fractions of a vCPU exactly (a quarter-vCPU instance type), and shows them as numbers', () => {
    const q = (vcpus: number) => quantity({ instances: 1, vcpus, memoryMiB: 256, monthlyCost: '0' }, 'vcpus');
    expect(q(0.25) + q(0.5) + q(0.25)).toBe(q(1));
    expect(q(0.1) + q(0.2)).toBe(q(0.3));
    expect(shown('vcpus', q(0.25) * 3n)).toBe(0.75);
    expect(shown('instances', 3n)).toBe(3);
  });
});
