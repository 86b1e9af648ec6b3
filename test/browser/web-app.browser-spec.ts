import type { Page } from 'playwright-core';
import { startMoto } from '../integration/cloud/support/moto.peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';
import { BrowserSession, describeBrowser, hasChromium, shot, signIn, until } from './support/browser.js';
import { createSimulatedClouds } from '../support/simulated-clouds.js';

// The web app as people use it: served by the API at /, driven in Debian's chromium. One stack
// (API, worker, moto, vcsim) for the file; the tests run in order and share it.
const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const RUN = Date.now().toString(36);
// set in beforeAll, from the environments the test creates
let AWS_ENV = '';
let VS_ENV = '';
const STEP_MS = 20_000;

describeBrowser('the web app in chromium', () => {
  let moto: CloudPeer;
  let vcsim: CloudPeer;
  let api: Proc & { url: string };
  let worker: Proc;
  let admin: Client;
  let memberToken: string;
  let session: BrowserSession;

  beforeAll(async () => {
    [moto, vcsim] = await Promise.all([startMoto(), startVcsim()]);
    const env = await stackEnv({ WORKER_CONCURRENCY: '4' });
    api = await startApi(env);
    worker = await startWorker(env);
    admin = new Client(api.url, ADMIN);
    session = await BrowserSession.launch();

    const member = await admin.post('/api/v1/tokens', { name: `web-member-${RUN}`, role: 'member' });
    expect(member.status).toBe(201);
    memberToken = member.body.token;

    const clouds = await createSimulatedClouds(admin, moto, vcsim, `web-${RUN}`, {
      aws: 'AWS Ireland (moto)',
      vsphere: 'vSphere lab (vcsim)',
    });
    AWS_ENV = clouds.aws;
    VS_ENV = clouds.vsphere;
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await worker?.stop();
    await api?.stop();
    await Promise.all([moto?.stop(), vcsim?.stop()]);
  });

  afterEach(() => {
    // no console errors and no uncaught exceptions on any page the test visited
    const problems = session?.problems.splice(0) ?? [];
    expect(problems).toEqual([]);
  });

  const field = (page: Page, path: string) => page.locator(`[data-field="${path}"]`);
  const pill = (page: Page) => page.locator('h1 .state-pill');

  it('a member signs in, finds the three-tier blueprint and sees its cost on two environments', async () => {
    const { context, page } = await session.page();
    page.setDefaultTimeout(STEP_MS);
    await signIn(page, api.url, memberToken);
    await page.getByRole('searchbox').fill('three-tier');
    await until('the search to leave one card', async () => (await page.locator('.bp-card').count()) === 1);
    await page.getByRole('link', { name: 'Three-tier web shop' }).waitFor();
    await shot(page, 'catalog');

    // the session survives a reload
    await page.reload();
    await page.getByRole('link', { name: 'Three-tier web shop' }).click();
    await page.getByRole('heading', { name: 'Three-tier web shop' }).waitFor();
    await page.locator('figure.topology svg').waitFor();
    expect(await page.locator('.topo-port').allTextContents()).toEqual(
      expect.arrayContaining(['80/tcp, 443/tcp', '8080/tcp', '5432/tcp']),
    );
    for (const env of [AWS_ENV, VS_ENV]) {
      const total = page.locator(`.cost-card[data-environment="${env}"] .cost-total`);
      await total.waitFor();
      expect(await total.textContent()).toMatch(/\$\d+\.\d{2}.*month/);
    }
    await shot(page, 'blueprint');

    // narrow screens: the same pages at 390 px
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'blueprint-390');
    await context.close();
  }, 120_000);

  it("checks parameters as they are typed and shows the server's message next to a bad one", async () => {
    const { context, page } = await session.page();
    page.setDefaultTimeout(STEP_MS);
    await signIn(page, api.url, memberToken);
    await page.goto(`${api.url}/catalog/three-tier-shop`);
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

  it('a member orders it across two clouds, watches it run, scales a tier and terminates it', async () => {
    const { context, page } = await session.page();
    page.setDefaultTimeout(STEP_MS);
    await signIn(page, api.url, memberToken);
    await page.goto(`${api.url}/catalog/three-tier-shop/1.2.0/order`);
    await page.getByRole('form', { name: 'Order form' }).waitFor();
    await field(page, 'name').locator('input').fill(`shop-${RUN}`);
    await field(page, 'parameters.appCount').locator('input').fill('2');
    await field(page, 'parameters.dbPassword').locator('input').fill('hunter2-secret');
    await field(page, 'placement.default').locator('select').selectOption(AWS_ENV);
    await field(page, 'placement.tiers.db').locator('select').selectOption(VS_ENV);
    await page.locator('.estimate li', { hasText: `db on ${VS_ENV}` }).waitFor();
    await shot(page, 'order-form');
    await page.getByRole('button', { name: 'Order', exact: true }).click();

    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    await pill(page)
      .filter({ hasText: /^running$/ })
      .waitFor({ timeout: 150_000 });
    await page.locator('.timeline li[data-type]').first().waitFor();
    expect(await page.locator('tr[data-tier="app"]').count()).toBe(2);
    expect(await page.locator('tr[data-tier="db"]').first().textContent()).toContain(VS_ENV);
    const url = page.locator('.kv a', { hasText: /^https:\/\// });
    await url.waitFor();
    await shot(page, 'deployment-running');

    // start is not allowed while running: the reason is there, and nothing opens
    const start = page.getByRole('button', { name: 'Start', exact: true });
    expect(await start.getAttribute('aria-disabled')).toBe('true');
    expect(await start.getAttribute('title')).toMatch(/Not while running/);

    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await field(page, 'scale.tier').locator('select').selectOption('app');
    await field(page, 'scale.count').locator('input').fill('3');
    await shot(page, 'deployment-scale-confirm');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await until(
      'three app instances, running',
      async () =>
        (await page.locator('tr[data-tier="app"]').count()) === 3 &&
        (await pill(page).textContent()) === 'running',
      150_000,
    );
    await page.getByRole('button', { name: 'Terminate' }).and(page.locator(':not([aria-disabled])')).waitFor({
      timeout: 60_000,
    });

    await page.getByRole('button', { name: 'Terminate' }).click();
    await dialog.getByRole('button', { name: 'Yes, terminate' }).click();
    await pill(page)
      .filter({ hasText: /^terminated$/ })
      .waitFor({ timeout: 150_000 });
    await shot(page, 'deployment-terminated');

    await page.getByRole('link', { name: 'My deployments' }).first().click();
    const row = page.locator('tr', { hasText: `shop-${RUN}` });
    await row.waitFor();
    expect(await row.textContent()).toContain('terminated');
    await shot(page, 'deployments');
    await context.close();
  }, 420_000);

  it('an admin adds a vSphere account: a wrong password fails the connection test with the message, the right one passes', async () => {
    const { context, page } = await session.page();
    page.setDefaultTimeout(STEP_MS);
    await signIn(page, api.url, ADMIN);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Cloud accounts' }).waitFor();
    await page.getByRole('button', { name: 'Add account' }).click();
    const name = `lab-vcenter-${RUN}`;
    await page.getByLabel('Provider').selectOption('vsphere');
    await field(page, 'name').locator('input').fill(name);
    await field(page, 'settings.url').locator('input').fill(vcsim.endpoint);
    await field(page, 'settings.caCert')
      .locator('textarea')
      .fill(vcsim.caCert ?? '');
    await field(page, 'credentials.username').locator('input').fill('switchyard');
    await field(page, 'credentials.password').locator('input').fill('not-the-password');
    await page.getByRole('button', { name: 'Add account' }).click();

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
    await card.getByRole('button', { name: 'Test connection' }).click();
    await result.filter({ hasText: 'Connected' }).waitFor({ timeout: 60_000 });
    await shot(page, 'admin-accounts-test-passed');
    await context.close();
  }, 180_000);

  it('the tokens page creates a token and shows it once', async () => {
    const { context, page } = await session.page();
    page.setDefaultTimeout(STEP_MS);
    await signIn(page, api.url, ADMIN);
    await page.goto(`${api.url}/admin/tokens`);
    const name = `ci-${RUN}`;
    await field(page, 'name').locator('input').fill(name);
    await page.getByLabel('Role').selectOption('member');
    await page.getByRole('button', { name: 'Create token' }).click();
    const value = page.getByTestId('token-value');
    await value.waitFor();
    const token = (await value.textContent()) ?? '';
    expect(token).toMatch(/^syd_/);
    expect((await new Client(api.url, token).get('/api/v1/me')).body.role).toBe('member');
    await shot(page, 'admin-tokens-created');

    // once: after a reload only its first characters are listed
    await page.reload();
    await page.locator(`tr[data-token="${name}"]`).waitFor();
    expect(await page.getByTestId('token-value').count()).toBe(0);
    expect(await page.locator(`tr[data-token="${name}"]`).textContent()).not.toContain(token);

    // sign out: back to the sign-in page, and the token is gone from this browser
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').waitFor();
    await page.reload();
    await page.getByLabel('Token').waitFor();
    await context.close();
  }, 120_000);
});

if (!hasChromium) {
  it('is skipped: no chromium on this machine (see the message above)', () => undefined);
}
