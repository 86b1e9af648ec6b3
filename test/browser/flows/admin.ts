import type { Page } from 'playwright-core';
import { Client } from '../../support/http.js';
import { chooseWithArrows, expectFits, expectRing, focused, inField, named, tabTo } from '../support/a11y.js';
import { shot } from '../support/browser.js';
import { expectedMonthly, shopTiers } from '../support/expected-cost.js';
import { field, type WebStack } from '../support/web-stack.js';

const problemAt = (page: Page, path: string) => field(page, path).locator('.field-error').first();

/** The admin console: cloud accounts, tokens, environments and their price lists. */
export function adminTests(s: WebStack): void {
  it('an admin adds a vSphere account: a wrong password fails the connection test with the message, the right one passes', async () => {
    const { context, page } = await s.open(s.adminToken);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Cloud accounts' }).waitFor();
    await page.getByRole('button', { name: 'Add account' }).click();
    // the keyboard starts in the form
    expect((await focused(page))?.field).toBe('provider');
    const name = `lab-vcenter-${s.run}`;
    await page.getByLabel('Provider').selectOption('vsphere');
    await field(page, 'name').locator('input').fill(name);
    await field(page, 'settings.url').locator('input').fill(s.vcsim.endpoint);
    await field(page, 'settings.caCert')
      .locator('textarea')
      .fill(s.vcsim.caCert ?? '');
    await field(page, 'credentials.username').locator('input').fill('switchyard');
    await field(page, 'credentials.password').locator('input').fill('not-the-password');
    const addAccount = page
      .getByRole('form', { name: 'Add account' })
      .getByRole('button', { name: 'Add account' });
    // the server's word on a bad URL lands beside the URL box, and the form stays open
    await field(page, 'settings.url').locator('input').fill('ftp://vcenter.example');
    await addAccount.click();
    await field(page, 'settings.url')
      .locator('.field-error')
      .filter({ hasText: 'must be an http(s) URL' })
      .waitFor();
    await field(page, 'settings.url').locator('input').fill(s.vcsim.endpoint);
    await addAccount.click();

    const card = page.locator(`[data-account="${name}"]`);
    await card.waitFor();
    // write-only: the password is never shown, only stars
    expect(await card.textContent()).not.toContain('not-the-password');
    await card.getByRole('button', { name: 'Test connection' }).click();
    const result = card.getByTestId('test-result');
    await result.filter({ hasText: 'Connection failed' }).waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/incorrect user name or password|login|auth/i);
    await shot(page, 'admin-accounts-test-failed');

    await card.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Replace the stored credentials').check();
    await field(page, 'credentials.username').locator('input').fill('switchyard');
    await field(page, 'credentials.password').locator('input').fill('vcsim-secret');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('form', { name: 'Edit account' }).waitFor({ state: 'detached' });
    // and goes back to the Edit button that opened it
    expect(await focused(page)).toMatchObject({ tag: 'button', name: `Edit ${name}` });
    await card.getByRole('button', { name: 'Test connection' }).click();
    await result.filter({ hasText: 'Connected' }).waitFor({ timeout: 60_000 });
    await shot(page, 'admin-accounts-test-passed');

    // orphans: nothing found yet; letting the reconciler remove them is saved on the account
    await card.getByText('Orphaned instances').click();
    await card.getByText(/No orphan/).waitFor();
    const removeOrphans = card.getByLabel(/Remove orphans automatically/);
    expect(await removeOrphans.isChecked()).toBe(false);
    await removeOrphans.check();
    await page.reload();
    await card.getByText('Orphaned instances').waitFor();
    expect(await card.getByLabel(/Remove orphans automatically/).isChecked()).toBe(true);
    const accounts = await new Client(s.api.url, s.adminToken).get('/api/v1/cloud-accounts?limit=500');
    expect(accounts.body.items.find((a: { name: string }) => a.name === name).removeOrphans).toBe(true);
    await context.close();
  }, 180_000);

  it('keyboard only: the tokens page creates a token, shows it once, and revokes it in a dialog that Escape closes', async () => {
    const { context, page } = await s.open(s.adminToken);
    await page.goto(`${s.api.url}/admin/tokens`);
    await page.locator('tr[data-token]').first().waitFor();
    const name = `ci-${s.run}`;
    await tabTo(page, 'the name box', inField('name'));
    await page.keyboard.type(name);
    await tabTo(page, 'the role', inField('role', 'select'), { max: 1 });
    await chooseWithArrows(page, 'operator');
    await tabTo(page, 'the Create token button', named('Create token'));
    await page.keyboard.press('Space');
    const value = page.getByTestId('token-value');
    await value.waitFor();
    const token = (await value.textContent()) ?? '';
    expect(token).toMatch(/^syd_/);
    const client = new Client(s.api.url, token);
    expect((await client.get('/api/v1/me')).body.role).toBe('operator');
    // shown once: the keyboard is taken to it
    expect(await focused(page)).toMatchObject({ tag: 'h2', name: `Token ${name} created` });
    await shot(page, 'admin-tokens-created');

    // Enter opens the confirmation, Escape closes it, and the keyboard is back on its button
    await tabTo(page, 'its Revoke button', named(`Revoke ${name}`));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Revoke ${name}?` });
    await dialog.waitFor();
    expect((await expectRing(page)).inDialog).toBe(true);
    await shot(page, 'admin-tokens-revoke-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(page)).toMatchObject({ tag: 'button', name: `Revoke ${name}` });
    expect((await client.get('/api/v1/me')).status).toBe(200);

    // again, and this time confirm it; the focus stays in the dialog until it closes
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await tabTo(page, 'the dialog’s Revoke', (f) => f.inDialog && f.name === 'Revoke', { max: 3 });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('status')
      .filter({ hasText: `Token ${name} revoked.` })
      .waitFor();
    await page.locator(`tr[data-token="${name}"]`, { hasText: 'revoked' }).waitFor();
    // its button is gone: the keyboard waits at the list, not lost on the page body
    expect(await focused(page)).toMatchObject({ tag: 'h2', name: 'Tokens' });
    expect((await client.get('/api/v1/me')).status).toBe(401);

    // once: after a reload only its first characters are listed
    await page.reload();
    await page.locator(`tr[data-token="${name}"]`).waitFor();
    expect(await page.getByTestId('token-value').count()).toBe(0);
    expect(await page.locator(`tr[data-token="${name}"]`).textContent()).not.toContain(token);

    // sign out: back to the sign-in page, and the token is gone from this browser
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token', { exact: true }).waitFor();
    await page.reload();
    await page.getByLabel('Token', { exact: true }).waitFor();
    await context.close();
  }, 120_000);

  it('an admin creates an environment in the price-list editor, sees every problem beside the box it names, edits the prices and sees which blueprints can plan on it', async () => {
    const { context, page } = await s.open(s.adminToken);
    const name = `web-env-${s.run}`;
    const cell = (row: number, f: string) =>
      field(page, `priceList.instanceTypes.${row}.${f}`).locator('input');
    await page.goto(`${s.api.url}/admin/environments`);
    await page.locator(`[data-environment="${s.awsEnv}"]`).waitFor();
    await page.getByRole('button', { name: 'Create environment' }).click();
    // the keyboard starts in the form
    expect((await focused(page))?.field).toBe('name');
    await field(page, 'name').locator('input').fill(name);
    await field(page, 'title').locator('input').fill('Web test prices');
    await field(page, 'account')
      .locator('select')
      .selectOption({ label: `${s.awsAccount} (aws-ec2)` });
    // a pool the server refuses: that rule is the server's alone
    await field(page, 'placement.addressPool').locator('input').fill('10.9.0.0/28');
    await field(page, 'images.0.imageId').locator('input').fill(s.moto.fixtures.image);

    // the form checks each box as the server would, while it is typed
    await field(page, 'priceList.currency').locator('input').fill('us');
    expect(await problemAt(page, 'priceList.currency').textContent()).toBe(
      'must be an ISO 4217 code such as USD',
    );
    await field(page, 'priceList.currency').locator('input').fill('usd');
    expect(await field(page, 'priceList.currency').locator('input').inputValue()).toBe('USD');
    expect(await problemAt(page, 'priceList.currency').count()).toBe(0);
    await field(page, 'priceList.source').locator('input').fill('browser test');
    await field(page, 'priceList.date').getByRole('textbox').fill('2026-11-20');
    for (const [f, v] of [
      ['name', 't3.small'],
      ['cpu', '2'],
      ['memoryMiB', '2048'],
      ['hourlyPrice', '0.0208'],
    ]) {
      await cell(0, f!).fill(v!);
    }
    // a new row takes the keyboard; Tab walks its boxes
    await page.getByRole('button', { name: 'Add instance type' }).click();
    expect((await focused(page))?.field).toBe('priceList.instanceTypes.1.name');
    for (const v of ['t3.medium', '2', '4096', '0.04.16']) {
      if (v !== 't3.medium') await page.keyboard.press('Tab');
      await page.keyboard.type(v);
    }
    expect(await problemAt(page, 'priceList.instanceTypes.1.hourlyPrice').textContent()).toBe(
      'must be a decimal string such as "0.0416"',
    );
    await cell(1, 'hourlyPrice').fill('0.0416');
    await page.getByRole('button', { name: 'Add instance type' }).click();
    await cell(2, 'name').fill('m5.xlarge');
    await cell(2, 'cpu').fill('0');
    expect(await problemAt(page, 'priceList.instanceTypes.2.cpu').textContent()).toBe(
      'must not be less than 1',
    );
    await cell(2, 'cpu').fill('4');
    await cell(2, 'memoryMiB').fill('16384');
    await cell(2, 'hourlyPrice').fill('0.192');
    await page.getByRole('button', { name: 'Add instance type' }).click();
    await cell(3, 'name').fill('t3.small');
    expect(await problemAt(page, 'priceList.instanceTypes.3.name').textContent()).toBe('is listed twice');
    // removing a row hands the keyboard to the row before it
    await page.getByRole('button', { name: 'Remove t3.small' }).last().click();
    expect((await focused(page))?.field).toBe('priceList.instanceTypes.2.name');
    expect(await page.locator('.price-list tbody tr[data-row]').count()).toBe(3);
    await shot(page, 'admin-environment-form');

    // the server refuses the pool: its message is next to the pool, and the keyboard goes there
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const pool = problemAt(page, 'placement.addressPool');
    await pool.waitFor();
    expect(await pool.getAttribute('data-source')).toBe('server');
    expect(await pool.textContent()).toMatch(/\/8 to \/24/);
    expect((await focused(page))?.field).toBe('placement.addressPool');
    await shot(page, 'admin-environment-server-error');
    await field(page, 'placement.addressPool').locator('input').fill('172.31.128.0/17');
    expect(await pool.count()).toBe(0);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('form', { name: 'Create environment' }).waitFor({ state: 'detached' });
    const card = page.locator(`[data-environment="${name}"]`);
    await card.waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'button', name: 'Create environment' });
    const created = await s.admin.get(`/api/v1/environments/${name}`);
    expect(created.body.priceList).toMatchObject({
      currency: 'USD',
      source: 'browser test',
      date: '2026-11-20',
      instanceTypes: [
        { name: 't3.small', cpu: 2, memoryMiB: 2048, hourlyPrice: '0.0208' },
        { name: 't3.medium', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.0416' },
        { name: 'm5.xlarge', cpu: 4, memoryMiB: 16384, hourlyPrice: '0.192' },
      ],
    });

    // edit. The browser checks every price-list rule the server has, so the server's word on a
    // row is stubbed here: it must land on the row and box its path names
    await card.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('form', { name: 'Edit environment' }).waitFor();
    await cell(2, 'hourlyPrice').fill('0.2');
    await page.route(
      (url) => url.pathname === `/api/v1/environments/${name}`,
      (route) =>
        route.request().method() === 'PATCH'
          ? route.fulfill({
              status: 400,
              contentType: 'application/json',
              body: JSON.stringify({
                statusCode: 400,
                error: 'Bad Request',
                message: 'The environment is invalid',
                details: [
                  { path: 'priceList.instanceTypes.2.hourlyPrice', message: 'is below the floor price' },
                ],
              }),
            })
          : route.continue(),
    );
    await page.getByRole('button', { name: 'Save' }).click();
    const floor = problemAt(page, 'priceList.instanceTypes.2.hourlyPrice');
    await floor.waitFor();
    expect(await floor.textContent()).toBe('is below the floor price');
    expect(await floor.getAttribute('data-source')).toBe('server');
    expect(await cell(2, 'hourlyPrice').getAttribute('aria-invalid')).toBe('true');
    expect((await focused(page))?.field).toBe('priceList.instanceTypes.2.hourlyPrice');
    await shot(page, 'admin-environment-row-error');
    await page.unrouteAll();

    // the JSON view shows the same list and gives it back
    await page.getByRole('button', { name: 'Edit as JSON' }).click();
    expect(await field(page, 'priceList.json').locator('textarea').inputValue()).toContain(
      '"hourlyPrice": "0.2"',
    );
    await page.getByRole('button', { name: 'Back to the table' }).click();
    expect(await cell(2, 'hourlyPrice').inputValue()).toBe('0.2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('form', { name: 'Edit environment' }).waitFor({ state: 'detached' });
    expect(
      (await s.admin.get(`/api/v1/environments/${name}`)).body.priceList.instanceTypes[2].hourlyPrice,
    ).toBe('0.2');

    // which blueprints can plan here: the shop fits these sizes, the 8-vCPU workbench does not
    await card.getByRole('button', { name: 'Which blueprints can plan here?' }).click();
    const shop = card.locator('li[data-blueprint="three-tier-shop"]');
    await shop.waitFor();
    expect(await shop.getAttribute('data-plans')).toBe('yes');
    // priced from the list just saved, to the cent
    const want = await expectedMonthly(s.admin, shopTiers(), () => name);
    expect(await shop.locator('.muted').textContent()).toBe(`${want.total} / month`);
    const workbench = card.locator('li[data-blueprint="rstudio-workbench"]');
    expect(await workbench.getAttribute('data-plans')).toBe('no');
    expect(await workbench.textContent()).toMatch(/no instance type in .* fits tier rstudio/);
    await shot(page, 'admin-environments-plannable');

    // the editor at 390 px: rows stack, nothing sticks out
    await page.setViewportSize({ width: 390, height: 844 });
    await card.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('form', { name: 'Edit environment' }).waitFor();
    await expectFits(page, 'the environment editor at 390 px');
    await shot(page, 'admin-environment-form-390');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await context.close();
  }, 180_000);
}
