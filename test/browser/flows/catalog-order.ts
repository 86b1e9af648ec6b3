import type { Page } from 'playwright-core';
import { Client } from '../../support/http.js';
import { chooseWithArrows, expectRing, focused, inField, named, tabTo } from '../support/a11y.js';
import { shot, until } from '../support/browser.js';
import { expectedMonthly, shopTiers } from '../support/expected-cost.js';
import { field, type WebStack } from '../support/web-stack.js';

/** The catalog, the order form and a deployment's life, as a member. */
export function catalogAndOrderTests(s: WebStack): void {
  it('a member signs in, finds the three-tier blueprint and sees its cost on two environments', async () => {
    const { context, page } = await s.open(s.memberToken);
    await page.getByRole('searchbox').fill('three-tier');
    await until('the search to leave one card', async () => (await page.locator('.bp-card').count()) === 1);
    await page.getByRole('link', { name: 'Three-tier web shop' }).waitFor();
    await shot(page, 'catalog');

    // the session survives a reload
    await page.reload();
    await page.getByRole('link', { name: 'Three-tier web shop' }).click();
    await page.getByRole('heading', { level: 1, name: 'Three-tier web shop' }).waitFor();
    await page.locator('figure.topology svg').waitFor();
    expect(await page.locator('.topo-port').allTextContents()).toEqual(
      expect.arrayContaining(['80/tcp, 443/tcp', '8080/tcp', '5432/tcp']),
    );
    // the cost a person works out from each environment's price list, to the cent
    for (const env of [s.awsEnv, s.vsEnv]) {
      const card = page.locator(`.cost-card[data-environment="${env}"]`);
      const total = card.locator('.cost-total');
      await total.waitFor();
      const want = await expectedMonthly(s.admin, shopTiers(), () => env);
      expect(await total.textContent()).toBe(`${want.total} / month`);
      expect(await card.locator('li').allTextContents()).toEqual(
        ['db', 'app', 'web'].map((t) => {
          const { type, size, monthly } = want.perTier[t]!;
          return `${t} ${t === 'app' ? 2 : 1} × ${type} (${size}) · ${monthly}`;
        }),
      );
    }
    await shot(page, 'blueprint');
    await context.close();
  }, 120_000);

  it("checks parameters as they are typed and shows the server's message next to a bad one", async () => {
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/catalog/three-tier-shop`);
    await page.getByRole('link', { name: /^Order v/ }).click();
    await page.getByRole('form', { name: 'Order form' }).waitFor();
    await page.getByTestId('estimate-monthly').waitFor();

    await field(page, 'parameters.appCount').locator('input').fill('99');
    const serverSays = field(page, 'parameters.appCount').locator('.field-error[data-source="server"]');
    await serverSays.waitFor();
    expect(await serverSays.textContent()).toBe('must be at most 10');
    expect(await field(page, 'parameters.appCount').locator('input').getAttribute('aria-invalid')).toBe(
      'true',
    );

    // the secret is masked, and a required one is asked for before anything is sent
    expect(await field(page, 'parameters.dbPassword').locator('input').getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Order', exact: true }).click();
    await field(page, 'parameters.dbPassword').locator('.field-error').waitFor();
    expect(await field(page, 'parameters.dbPassword').locator('.field-error').textContent()).toBe(
      'is required',
    );
    await shot(page, 'order-form-errors');
    await context.close();
  }, 120_000);

  it('keyboard only: a member signs in, searches, opens the blueprint and orders it across two clouds', async () => {
    const { context, page } = await s.open();
    await page.goto(`${s.api.url}/`);
    await page.getByLabel('Token').waitFor();
    // sign in: the token box has the focus, Enter sends it
    expect(await focused(page)).toMatchObject({ tag: 'input', name: 'Token' });
    await page.keyboard.type(s.memberToken);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    // the first Tab shows the skip link; it takes the keyboard past the navigation
    await tabTo(page, 'the skip link', named('Skip to content'), { max: 1 });
    expect((await page.locator('a.skip').boundingBox())?.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect((await focused(page))?.id).toBe('main');
    await tabTo(page, 'the catalog search', (f) => f.tag === 'input' && f.name === 'Search', { max: 1 });
    await page.keyboard.type('three-tier');
    await until('the search to leave one card', async () => (await page.locator('.bp-card').count()) === 1);
    await tabTo(page, 'the blueprint link', named('Three-tier web shop'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Three-tier web shop' }).waitFor();
    // a new page: the keyboard starts at its top, not where the link was
    expect((await focused(page))?.id).toBe('main');

    await tabTo(page, 'the order link', named(/^Order v1\.3\.0$/));
    await page.keyboard.press('Enter');
    await page.getByRole('form', { name: 'Order form' }).waitFor();
    await page.getByTestId('estimate-monthly').waitFor();

    await tabTo(page, 'the name box', inField('name'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`shop-${s.run}`);
    // an optional lease: 24 hours
    await tabTo(page, 'the lease box', inField('leaseHours'), { max: 1 });
    await page.keyboard.type('24');
    // arrow keys step a number box: 2 → 3 → 2
    await tabTo(page, 'the app count', inField('parameters.appCount'), { max: 1 });
    await page.keyboard.press('ArrowUp');
    expect((await focused(page))?.value).toBe('3');
    await page.keyboard.press('ArrowDown');
    expect((await focused(page))?.value).toBe('2');
    await tabTo(page, 'the password', inField('parameters.dbPassword'));
    await page.keyboard.type('hunter2-secret');
    await tabTo(page, 'the environment', inField('placement.default', 'select'));
    await chooseWithArrows(page, s.awsEnv);
    await tabTo(page, 'the db tier placement', inField('placement.tiers.db', 'select'));
    await chooseWithArrows(page, s.vsEnv);
    await page.locator('.estimate li', { hasText: `db on ${s.vsEnv}` }).waitFor();
    // the estimate of this split placement, to the cent
    const want = await expectedMonthly(s.admin, shopTiers(2), (t) => (t === 'db' ? s.vsEnv : s.awsEnv));
    await until(
      `the estimate to say ${want.total} / month`,
      async () => (await page.getByTestId('estimate-monthly').textContent()) === `${want.total} / month`,
    );
    // back up one box and forward again with Shift+Tab: the focus ring follows
    await tabTo(page, 'the environment again', inField('placement.default', 'select'), { back: true });
    await tabTo(page, 'the Order button', named('Order'));
    await shot(page, 'order-form-keyboard');
    await recordStates(page);
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    s.deploymentId = page.url().split('/').pop();
    await page.locator('h1 .state-pill').waitFor();
    expect((await focused(page))?.id).toBe('main');
    // the page showed the order before it ran, then followed it to running by itself
    await page
      .locator('h1 .state-pill')
      .filter({ hasText: /^running$/ })
      .waitFor({ timeout: 150_000 });
    const seen = await statesSeen(page);
    expect(['pending', 'provisioning']).toContain(seen[0]);
    expect(seen.at(-1)).toBe('running');
    await context.close();
  }, 120_000);

  it('a member watches the order run, scales a tier and terminates it', async () => {
    if (!s.deploymentId) throw new Error('no deployment: the keyboard-only order above did not get through');
    const { context, page } = await s.open(s.memberToken);
    const pill = page.locator('h1 .state-pill');
    await page.goto(`${s.api.url}/deployments/${s.deploymentId}`);
    await pill.filter({ hasText: /^running$/ }).waitFor({ timeout: 150_000 });
    await page.locator('.timeline li[data-type]').first().waitFor();
    // what the keyboard chose: two app servers, the database on vSphere
    expect(await page.locator('tr[data-tier="app"]').count()).toBe(2);
    expect(await page.locator('tr[data-tier="db"]').first().textContent()).toContain(s.vsEnv);
    expect(await page.locator('tr[data-tier="web"]').first().textContent()).toContain(s.awsEnv);
    // and the lease it typed: it ends 24 hours after the order
    await page.getByTestId('lease-ends').waitFor();
    const detail = await new Client(s.api.url, s.memberToken).get(`/api/v1/deployments/${s.deploymentId}`);
    expect(detail.body.leaseHours).toBe(24);
    const url = page.locator('.kv a', { hasText: /^https:\/\// });
    await url.waitFor();
    await shot(page, 'deployment-running');

    // start is not allowed while running: the reason is there, and nothing opens
    const start = page.getByRole('button', { name: 'Start', exact: true });
    expect(await start.getAttribute('aria-disabled')).toBe('true');
    expect(await start.getAttribute('title')).toMatch(/Not while running/);

    // the scale dialog: Escape closes it and gives the keyboard back to its button
    const scale = page.getByRole('button', { name: 'Scale', exact: true });
    await scale.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect((await expectRing(page)).inDialog).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Scale' });

    await scale.click();
    await field(page, 'scale.tier').locator('select').selectOption('app');
    await field(page, 'scale.count').locator('input').fill('3');
    await shot(page, 'deployment-scale-confirm');
    await recordStates(page);
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await until(
      'three app instances, running',
      async () =>
        (await page.locator('tr[data-tier="app"]').count()) === 3 && (await pill.textContent()) === 'running',
      150_000,
    );
    // "running" after the action, not the running it had before: the page showed it scaling
    const seen = await statesSeen(page);
    expect(seen[0]).toBe('running');
    expect(seen).toContain('scaling');
    expect(seen.at(-1)).toBe('running');
    await page.getByRole('button', { name: 'Terminate' }).and(page.locator(':not([aria-disabled])')).waitFor({
      timeout: 60_000,
    });

    await page.getByRole('button', { name: 'Terminate' }).click();
    await dialog.getByRole('button', { name: 'Yes, terminate' }).click();
    await pill.filter({ hasText: /^terminated$/ }).waitFor({ timeout: 150_000 });
    await shot(page, 'deployment-terminated');

    await page.getByRole('link', { name: 'My deployments' }).first().click();
    const row = page.locator('tr', { hasText: `shop-${s.run}` });
    await row.waitFor();
    expect(await row.textContent()).toContain('terminated');
    await shot(page, 'deployments');

    // filters: by name, by state (it is terminated, so not among the running), and only mine
    await page.getByLabel('Name').fill(`shop-${s.run}`);
    const listed = page.getByRole('table', { name: 'Deployments' }).locator('tbody tr');
    await until('the name filter', async () => (await listed.count()) === 1);
    await page.getByLabel('State').selectOption('running');
    await page.getByText('No deployment matches these filters.').waitFor();
    await page.getByLabel('State').selectOption('terminated');
    await page.getByLabel('Only the ones I ordered').check();
    await row.waitFor();
    expect(new URL(page.url()).searchParams.get('mine')).toBe('true');
    await context.close();
  }, 420_000);
}

// Every text the deployment's state pill shows from now on, in order (a MutationObserver in the
// page), so that a test can tell the state before an action from the state after it.
const RECORD_STATES = `(() => {
  const seen = (window.__syStates = []);
  const look = () => {
    const text = document.querySelector('h1 .state-pill')?.textContent;
    if (text && seen[seen.length - 1] !== text) seen.push(text);
  };
  window.__syObserver?.disconnect();
  window.__syObserver = new MutationObserver(look);
  window.__syObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
  look();
})()`;

async function recordStates(page: Page): Promise<void> {
  await page.evaluate(RECORD_STATES);
}

async function statesSeen(page: Page): Promise<string[]> {
  return (await page.evaluate('window.__syStates')) as string[];
}
