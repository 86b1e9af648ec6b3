import { Client, eventually } from '../support/http.js';
import { describeBrowser, shot, until } from './support/browser.js';
import { useWebStack } from './support/web-stack.js';

// The quota and budget views and the deployment page's lease and placement in chromium: the
// numbers on the page are the ones the API reserved and priced (and those an order implies).
describeBrowser('quotas, budget, lease and placement in the web console', () => {
  const s = useWebStack();

  const settled = (client: Client, id: string) =>
    eventually(
      async () => {
        const d = (await client.get(`/api/v1/deployments/${id}`)).body;
        return d.state === 'running' || d.state === 'failed' ? d : undefined;
      },
      240_000,
      `deployment ${id} to run`,
    );

  it('shows each quota as bars of what is reserved against its limit, and the month’s budget', async () => {
    const member = new Client(s.api.url, s.memberToken);
    expect((await s.admin.request('PUT', '/api/v1/quotas', { instances: 10, vcpus: 40 })).status).toBe(200);
    expect(
      (
        await s.admin.request('PUT', '/api/v1/quotas', {
          environment: s.awsEnv,
          instances: 6,
          memoryMiB: 65536,
        })
      ).status,
    ).toBe(200);
    const ordered = await member.post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name: `quota-${s.run}`,
      parameters: { appCount: 1, dbPassword: 'hunter2-secret' },
      placement: { default: s.awsEnv },
    });
    expect(ordered.status).toBe(202);
    const d = await settled(member, ordered.body.id);
    expect(d.state).toBe('running');
    const budget = await s.admin.request('PUT', '/api/v1/budget', { amount: '100', currency: 'USD' });
    expect(budget.status).toBe(200);
    // the forecast is what the deployment costs a month
    expect(Number(budget.body.forecast.amount).toFixed(2)).toBe(Number(d.cost.monthly.amount).toFixed(2));
    const usage = (await s.admin.get('/api/v1/quotas/usage')).body;

    const { context, page } = await s.open(s.adminToken);
    await page.goto(`${s.api.url}/admin/governance`);
    const tenantQuota = page.locator('[data-quota="*"]');
    await tenantQuota.waitFor();
    const bar = (scope: string, resource: string) =>
      page.locator(`[data-quota="${scope}"] [data-resource="${resource}"]`);
    expect(await bar('*', 'Instances').getByTestId('quota-text').textContent()).toBe('3 of 10');
    expect(await bar('*', 'Instances').getByRole('meter').getAttribute('aria-valuenow')).toBe('3');
    expect(await bar('*', 'Instances').getByRole('meter').getAttribute('aria-valuemax')).toBe('10');
    expect(await bar('*', 'vCPUs').getByTestId('quota-text').textContent()).toBe(
      `${usage.reserved.vcpus} of 40`,
    );
    expect(await bar(s.awsEnv, 'Instances').getByTestId('quota-text').textContent()).toBe('3 of 6');
    expect(await bar(s.awsEnv, 'Memory').getByTestId('quota-text').textContent()).toBe(
      `${usage.reserved.memoryMiB / 1024} GiB of 64 GiB`,
    );
    // the bar is as long as the share: 3 of 6 is half (of the inside of its border)
    const widths = await bar(s.awsEnv, 'Instances')
      .getByRole('meter')
      .evaluate((el) => [el.clientWidth, el.firstElementChild!.getBoundingClientRect().width]);
    expect(Math.round((widths[1]! / widths[0]!) * 100)).toBe(50);
    // reserved equals running, for the environment and in all
    const row = page.locator(`tr[data-environment="${s.awsEnv}"]`);
    expect(await row.getByTestId('reserved-instances').textContent()).toBe('3');
    expect(await row.getByTestId('running-instances').textContent()).toBe('3');

    const money = (amount: string) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(amount));
    expect(await page.getByTestId('budget-amount').textContent()).toBe('$100.00');
    expect(await page.getByTestId('budget-forecast').textContent()).toBe(
      `${money(budget.body.forecast.amount)} (${budget.body.percent}%)`,
    );
    expect(budget.body.percent).toBeGreaterThan(0);
    // the month's spend per environment: this one, with its deployment
    const spent = page.locator(`[data-testid="spend-report"] tr[data-key="${s.awsEnv}"]`);
    await spent.waitFor();
    expect(await spent.locator('td').first().textContent()).toBe('1');
    await page.getByTestId('spend-report').locator('select').selectOption('blueprint');
    await page.locator('[data-testid="spend-report"] tr[data-key="three-tier-shop"]').waitFor();
    await shot(page, 'governance-quotas-budget');
    await context.close();
  }, 400_000);

  it('extends a lease from the deployment page, within the maximum, and explains a chosen placement', async () => {
    const member = new Client(s.api.url, s.memberToken);
    expect((await s.admin.request('PUT', '/api/v1/lease-policy', { maxLeaseHours: 10 })).status).toBe(200);
    const ordered = await member.post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name: `placed-${s.run}`,
      parameters: { appCount: 1, dbPassword: 'hunter2-secret' },
      leaseHours: 2,
    });
    expect({ status: ordered.status, body: ordered.status === 202 ? undefined : ordered.body }).toEqual({
      status: 202,
      body: undefined,
    });
    const id = ordered.body.id as string;
    const why = (await member.get(`/api/v1/deployments/${id}/placement`)).body;

    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/deployments/${id}`);
    // every environment considered, per tier, with its verdict, as recorded
    for (const t of why.tiers as {
      tier: string;
      chosen: string;
      candidates: { environment: string; verdict: string }[];
    }[]) {
      const table = page.getByRole('table', { name: `Placement of ${t.tier}` });
      await table.waitFor();
      expect(await table.locator('caption').textContent()).toBe(`${t.tier}: ${t.chosen}`);
      const rows = await table
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute('data-environment'), tr.getAttribute('data-verdict')]),
        );
      expect(rows).toEqual(t.candidates.map((c) => [c.environment, c.verdict]));
    }
    const form = page.getByRole('form', { name: 'Extend the lease' });
    await form.getByLabel('Hours to add').fill('3');
    await form.getByRole('button', { name: 'Extend lease' }).click();
    await until('the lease of 5 h', async () =>
      /\(5 h after the order\)/.test((await page.getByTestId('lease').textContent()) ?? ''),
    );
    await form.getByLabel('Hours to add').fill('6');
    await form.getByRole('button', { name: 'Extend lease' }).click();
    await until('the maximum said', async () =>
      ((await form.getByRole('alert').textContent()) ?? '').includes("the tenant's maximum is 10 h"),
    );
    expect((await member.get(`/api/v1/deployments/${id}`)).body.leaseHours).toBe(5);
    await shot(page, 'deployment-lease-placement');
    await context.close();
    await settled(member, id);
  }, 400_000);
});
