import { Client } from '../support/http.js';
import { describeBrowser, shot, until } from './support/browser.js';
import { field, useWebStack } from './support/web-stack.js';

// Issue 19: orders an approval rule holds wait in the approvals inbox, which shows why, who
// ordered, the monthly cost and the deadline; an operator (not the orderer) approves or rejects
// with a reason, and the orderer's deployment page says why it waits or why it ended.
describeBrowser('the approvals inbox in chromium', () => {
  const s = useWebStack();
  let operatorToken: string;
  let operatorName: string;

  const order = async (name: string) => {
    const res = await new Client(s.api.url, s.memberToken).post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name,
      parameters: { appCount: 1, dbPassword: 'hunter2-secret' },
      placement: { default: s.awsEnv },
    });
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('awaiting-approval');
    return res.body.id as string;
  };

  beforeAll(async () => {
    operatorName = `olivia-${s.run}`;
    const user = await s.admin.post('/api/v1/users', { name: operatorName, role: 'operator' });
    expect(user.status).toBe(201);
    const token = await s.admin.post('/api/v1/tokens', { name: 'inbox', userId: user.body.id });
    expect(token.status).toBe(201);
    operatorToken = token.body.token;
    const rule = await s.admin.post('/api/v1/approval-rules', {
      name: 'shop-in-web',
      blueprints: ['three-tier-shop'],
      monthlyCostAbove: { amount: '5.00', currency: 'USD' },
    });
    expect(rule.status).toBe(201);
  });

  it('shows the orderer why the deployment waits, and no way to approve it themselves', async () => {
    const id = await order(`inbox-wait-${s.run}`);
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/deployments/${id}`);
    const status = page.getByRole('region', { name: 'Approval' });
    await status.waitFor();
    expect(await status.textContent()).toMatch(
      /Waiting for approval by an operator \(not by admin, who ordered it\)/,
    );
    expect(await status.locator('li').allTextContents()).toEqual([
      expect.stringMatching(
        /^monthly cost [\d.]+ USD is above 5.00 USD; orders three-tier-shop \(rule shop-in-web\)$/,
      ),
    ]);
    await page.goto(`${s.api.url}/approvals`);
    const card = page.getByRole('listitem', { name: `Approval for inbox-wait-${s.run}` });
    await card.waitFor();
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await card.textContent()).toContain('Another operator or an admin decides: not who ordered it.');
    await shot(page, 'approvals-orderer');
    await context.close();
  }, 60_000);

  it('lets an operator approve, and the deployment goes on', async () => {
    const id = await order(`inbox-approve-${s.run}`);
    const { context, page } = await s.open(operatorToken);
    await page.goto(`${s.api.url}/approvals`);
    const card = page.getByRole('listitem', { name: `Approval for inbox-approve-${s.run}` });
    await card.waitFor();
    expect(await card.getByTestId('ordered-by').textContent()).toBe('admin');
    expect(await card.getByTestId('monthly-cost').textContent()).toMatch(/^\$\d+\.\d{2}$/);
    expect(await card.getByTestId('reasons').textContent()).toContain('(rule shop-in-web)');
    await shot(page, 'approvals-inbox');

    await card.getByRole('button', { name: 'Approve' }).click();
    // decided: it leaves the list of what waits
    await until('the approved card to leave the inbox', async () => (await card.count()) === 0);
    await page.getByLabel('Show').selectOption('all');
    const decided = page.getByRole('listitem', { name: `Approval for inbox-approve-${s.run}` });
    await decided.waitFor();
    expect(await decided.locator('.state-pill').textContent()).toBe('approved');
    expect(await decided.textContent()).toContain(`by ${operatorName}`);

    await decided.getByRole('link', { name: `inbox-approve-${s.run}` }).click();
    await page.waitForURL(`**/deployments/${id}`);
    await until('the deployment to leave awaiting-approval', async () => {
      const pill = await page.locator('h1 .state-pill').textContent();
      return pill !== null && pill !== 'awaiting-approval';
    });
    expect(await page.getByRole('region', { name: 'Approval' }).count()).toBe(0);
    await context.close();
  }, 60_000);

  it('refuses a rejection without a reason, and the orderer reads the reason given', async () => {
    const id = await order(`inbox-reject-${s.run}`);
    const { context, page } = await s.open(operatorToken);
    await page.goto(`${s.api.url}/approvals`);
    const card = page.getByRole('listitem', { name: `Approval for inbox-reject-${s.run}` });
    await card.waitFor();
    await card.getByRole('button', { name: 'Reject' }).click();
    expect(await card.getByRole('alert').textContent()).toBe(
      'Say why you reject it: the orderer reads the reason.',
    );
    await card.getByLabel('Reason (required to reject)').fill('use the staging environment');
    await card.getByRole('button', { name: 'Reject' }).click();
    await until('the rejected card to leave the inbox', async () => (await card.count()) === 0);
    await context.close();

    const orderer = await s.open(s.memberToken);
    await orderer.page.goto(`${s.api.url}/deployments/${id}`);
    const status = orderer.page.getByRole('region', { name: 'Approval' });
    await status.waitFor();
    expect(await orderer.page.locator('h1 .state-pill').textContent()).toBe('rejected');
    expect(await status.textContent()).toMatch(
      new RegExp(
        `Rejected by ${operatorName} on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}: use the staging environment`,
      ),
    );
    await shot(orderer.page, 'approvals-rejected-deployment');
    await orderer.context.close();
  }, 60_000);

  it('entitlements: the catalog and the order form show only what the tenant may order and where', async () => {
    const set = await s.admin.request('PUT', '/api/v1/entitlements/default', {
      blueprints: ['wordpress'],
      environments: [s.awsEnv],
    });
    expect(set.status).toBe(200);
    try {
      const { context, page } = await s.open(s.memberToken);
      await page.goto(`${s.api.url}/catalog`);
      const cards = page.locator('.bp-card h2');
      await cards.first().waitFor();
      expect(await cards.allTextContents()).toEqual(['WordPress with MySQL']);

      await page.getByRole('link', { name: 'WordPress with MySQL' }).click();
      await page.getByRole('heading', { level: 1, name: 'WordPress with MySQL' }).waitFor();
      // its costs are compared only where it may be placed
      await page.locator(`.cost-card[data-environment="${s.awsEnv}"]`).waitFor();
      expect(await page.locator(`.cost-card[data-environment="${s.vsEnv}"]`).count()).toBe(0);

      const version = (await s.admin.get('/api/v1/blueprints/wordpress')).body.latestVersion as string;
      await page.goto(`${s.api.url}/catalog/wordpress/${version}/order`);
      const envSelect = field(page, 'placement.default').locator('select');
      await envSelect.waitFor();
      expect(
        await envSelect
          .locator('option')
          .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)),
      ).toEqual([s.awsEnv]);

      // a blueprint outside the entitlement is refused with the reason, not shown
      s.session.expected.push(/status of 403/);
      await page.goto(`${s.api.url}/catalog/three-tier-shop`);
      const refused = page
        .getByRole('alert')
        .filter({ hasText: 'not entitled to blueprint three-tier-shop' });
      await refused.waitFor();
      expect(await refused.textContent()).toBe(
        'Not allowed. Tenant default is not entitled to blueprint three-tier-shop',
      );
      // asking again cannot help: no retry offered
      expect(await refused.getByRole('button').count()).toBe(0);
      await shot(page, 'entitlements-refused-blueprint');
      await context.close();
    } finally {
      await s.admin.request('PUT', '/api/v1/entitlements/default', { blueprints: null, environments: null });
    }
  }, 60_000);
});
