import type { Locator, Page } from 'playwright-core';
import { expectFits, expectNavigationUsable, named, tabTo } from '../support/a11y.js';
import { shot } from '../support/browser.js';
import type { WebStack } from '../support/web-stack.js';

const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];

/** Every page, when it has loaded what it shows. */
const PAGES: { name: string; path: (s: WebStack) => string; ready: (page: Page) => Locator }[] = [
  { name: 'catalog', path: () => '/catalog', ready: (p) => p.locator('.bp-card').first() },
  { name: 'blueprint', path: () => '/catalog/three-tier-shop', ready: (p) => p.getByTestId('cost-grid') },
  {
    name: 'order-form',
    path: () => '/catalog/three-tier-shop/1.3.0/order',
    ready: (p) => p.getByTestId('estimate-monthly'),
  },
  {
    name: 'deployments',
    path: () => '/deployments',
    ready: (p) => p.getByRole('table', { name: 'Deployments' }),
  },
  {
    name: 'deployment',
    path: (s) => `/deployments/${s.deploymentId}`,
    ready: (p) => p.locator('.timeline li[data-type]').first(),
  },
  {
    name: 'approvals',
    path: () => '/approvals',
    ready: (p) => p.getByRole('heading', { name: 'Approvals' }),
  },
  {
    name: 'admin-accounts',
    path: () => '/admin/cloud-accounts',
    ready: (p) => p.locator('[data-account]').first(),
  },
  {
    name: 'admin-environments',
    path: () => '/admin/environments',
    ready: (p) => p.locator('[data-environment]').first(),
  },
  { name: 'admin-tokens', path: () => '/admin/tokens', ready: (p) => p.locator('tr[data-token]').first() },
  { name: 'admin-users', path: () => '/admin/users', ready: (p) => p.locator('tr[data-user]').first() },
  {
    name: 'admin-audit',
    path: () => '/admin/audit-log',
    ready: (p) => p.getByRole('table', { name: 'Audit log' }),
  },
  {
    name: 'admin-self-check',
    path: () => '/admin/self-check',
    ready: (p) => p.getByRole('heading', { name: 'Self-check' }),
  },
  {
    name: 'account-password',
    path: () => '/account/password',
    ready: (p) => p.getByRole('form', { name: 'Change my password' }),
  },
];

/** Every page at 1280 and 390 px; loading, empty and error states. */
export function pageTests(s: WebStack): void {
  it('pages show loading, empty and error states, and come back with Try again', async () => {
    const { context, page } = await s.open(s.memberToken);
    const deployments = (url: URL) => url.pathname === '/api/v1/deployments';
    // the list, or its empty state when this test runs alone
    const listed = page
      .getByRole('table', { name: 'Deployments' })
      .or(page.getByText('Nothing deployed yet.'));

    // loading: the answer is held back for a moment
    let release = () => undefined as void;
    const held = new Promise<void>((ok) => (release = ok));
    await page.route(deployments, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${s.api.url}/deployments`);
    await page.getByRole('status').filter({ hasText: 'Loading deployments' }).waitFor();
    await shot(page, 'state-loading');
    release();
    await listed.waitFor();
    await page.unrouteAll();

    // error: the API answers 503 with its message; Try again brings the list back
    s.session.expected.push(/status of 503/);
    await page.route(deployments, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'Redis does not answer',
        }),
      }),
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Redis does not answer' });
    await alert.waitFor();
    await shot(page, 'state-error');
    await page.unrouteAll();
    await alert.getByRole('button', { name: 'Try again' }).click();
    await listed.waitFor();
    expect(await alert.count()).toBe(0);

    // a blueprint that is not there: said so, with no retry that cannot help
    await page.goto(`${s.api.url}/catalog/no-such-blueprint`);
    const missing = page.getByRole('alert').filter({ hasText: 'blueprint no-such-blueprint not found' });
    await missing.waitFor();
    expect(await missing.getByRole('button').count()).toBe(0);

    // empty: a search that matches nothing
    await page.goto(`${s.api.url}/catalog?q=nothing-like-${s.run}`);
    await page.locator('.state-empty', { hasText: 'No blueprint matches these filters.' }).waitFor();
    await shot(page, 'state-empty-catalog');

    // a member in the admin console is told why, not shown a blank page
    await page.goto(`${s.api.url}/admin/tokens`);
    await page
      .getByRole('alert')
      .filter({ hasText: 'The admin console is for admins and operators' })
      .waitFor();
    await context.close();

    // an admin: an audit filter with no entries; a self-check never run here, then run
    const admin = await s.open(s.adminToken);
    await admin.page.goto(`${s.api.url}/admin/audit-log?resourceId=nothing-${s.run}`);
    await admin.page.locator('.state-empty', { hasText: 'Nothing recorded for these filters.' }).waitFor();
    await admin.page.goto(`${s.api.url}/admin/self-check`);
    await admin.page
      .locator('.state-empty', { hasText: 'No self-check run from this browser yet.' })
      .waitFor();
    await admin.page.getByRole('button', { name: 'Run self-check' }).click();
    const table = admin.page.getByRole('table', { name: 'Checks' });
    await table.waitFor({ timeout: 60_000 });
    // one row per check with the worker's verdict and latency, as the API stores them
    const id = (await admin.page.evaluate("localStorage.getItem('switchyard.selfCheck')")) as string;
    const stored = (await s.admin.get(`/api/v1/admin/self-check/${id}`)).body;
    expect(stored.status).toBe('passed');
    expect(await admin.page.locator('h2 .state-pill').textContent()).toBe('passed');
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 3).map((cell) => cell.textContent)));
    expect(rows).toEqual([
      ['postgres', 'pass', expect.stringMatching(/^\d+(\.\d)? ms$/)],
      ['redis', 'pass', expect.stringMatching(/^\d+(\.\d)? ms$/)],
      ['queues', 'pass', expect.stringMatching(/^\d+(\.\d)? ms$/)],
    ]);
    expect(rows).toEqual(
      stored.result.checks.map((c: { name: string; status: string; latencyMs: number }) => [
        c.name,
        c.status,
        `${c.latencyMs} ms`,
      ]),
    );
    await shot(admin.page, 'admin-self-check-result');
    await admin.context.close();
  }, 120_000);

  it('every page fits 1280 and 390 px wide, with a usable navigation and no console errors', async () => {
    s.deploymentId ??= (await s.admin.get('/api/v1/deployments?limit=1')).body.items[0]?.id;
    if (!s.deploymentId) throw new Error('no deployment to show: the order tests above made none');
    const { context, page } = await s.open(s.adminToken);
    for (const p of PAGES) {
      await page.setViewportSize(WIDTHS[0]!);
      await page.goto(`${s.api.url}${p.path(s)}`);
      await p.ready(page).waitFor();
      for (const size of WIDTHS) {
        const what = `${p.name} at ${size.width} px`;
        await page.setViewportSize(size);
        await expectFits(page, what);
        await expectNavigationUsable(page, what);
        await shot(page, `page-${p.name}-${size.width}`);
      }
      const problems = s.session.problems.splice(0);
      if (problems.length) throw new Error(`${p.name}: ${problems.join('\n')}`);
    }

    // at 390 px the navigation works by keyboard and by pointer
    await page.goto(`${s.api.url}/catalog`);
    await page.locator('.bp-card').first().waitFor();
    const nav = await tabTo(page, 'My deployments in the navigation', named('My deployments'), { max: 5 });
    expect(nav.inNav).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'My deployments' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Cloud accounts' }).waitFor();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await context.close();
  }, 120_000);
}
