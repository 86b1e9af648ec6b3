import type { DeploymentPlan } from '@switchyard/blueprints';
import type { DeploymentUsage, UsedInstance } from './deployment-cost.util.js';
import type { BilledDeployment } from './deployment-usage.repository.js';
import { summarizeSpend } from './spend-summary.util.js';

const money = (amount: string, currency: string) => ({ amount, currency });
// one tier per environment; an instance at 0.10 an hour (73.00 a month), no disk
function plan(currency: string, tiers: [tier: string, environment: string][]): DeploymentPlan {
  return {
    currency,
    tiers: tiers.map(([tier, environment]) => ({
      tier,
      environment,
      provider: environment.startsWith('aws') ? 'aws' : 'vsphere',
      instanceType: { name: 'x', cpu: 1, memoryMiB: 1024, hourlyPrice: money('0.10', currency) },
      perInstance: { hourly: money('0.10', currency), monthly: money('73', currency) },
    })),
  } as unknown as DeploymentPlan;
}

// 2026-11-11 00:00 UTC: 10 days into November, 20 days (480 h) left
const NOW = new Date('2026-11-11T00:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const instance = (tier: string, state: UsedInstance['state'], since: number, until = 0): UsedInstance => ({
  tier,
  state,
  createdAt: hoursAgo(since),
  updatedAt: hoursAgo(until),
});
const billed = (id: string, p: DeploymentPlan, instances: UsedInstance[]): BilledDeployment => ({
  id,
  plan: p,
  usage: { instances, stopped: [] } satisfies DeploymentUsage,
});

describe('summarizeSpend', () => {
  it('adds up run rate, month to date, forecast and total per currency and environment', () => {
    const shop = plan('USD', [
      ['web', 'aws-us-east-1'],
      ['db', 'vsphere-dc1'],
    ]);
    const spend = summarizeSpend(
      [
        // running since October 31 (24 h before the month), 10 h of it this month… and now
        billed('a', shop, [instance('web', 'running', 264), instance('db', 'running', 10)]),
        // ended 2 h after it started, in October: in the total only
        billed('b', shop, [instance('web', 'terminated', 300, 298)]),
        billed('c', plan('EUR', [['app', 'aws-eu']]), [instance('app', 'running', 1)]),
      ],
      NOW,
    );
    expect(spend.monthStart).toBe('2026-11-01T00:00:00.000Z');
    expect(spend.currencies.map((c) => c.currency)).toEqual(['EUR', 'USD']);
    const usd = spend.currencies[1]!;
    expect(usd).toMatchObject({
      runRate: { hourly: money('0.20', 'USD'), monthly: money('146.00', 'USD') },
      // web 240 h and db 10 h this month; web 264 h, db 10 h and b's 2 h in all
      monthToDate: money('25.00', 'USD'),
      monthForecast: money('121.00', 'USD'),
      total: money('27.60', 'USD'),
      deployments: 1,
      instances: 2,
    });
    expect(usd.byEnvironment).toEqual([
      {
        environment: 'aws-us-east-1',
        provider: 'aws',
        instances: 1,
        runRate: { hourly: money('0.10', 'USD'), monthly: money('73.00', 'USD') },
        monthToDate: money('24.00', 'USD'),
      },
      {
        environment: 'vsphere-dc1',
        provider: 'vsphere',
        instances: 1,
        runRate: { hourly: money('0.10', 'USD'), monthly: money('73.00', 'USD') },
        monthToDate: money('1.00', 'USD'),
      },
    ]);
  });

  it('has no currency before the first instance', () => {
    expect(summarizeSpend([], NOW).currencies).toEqual([]);
  });
});
