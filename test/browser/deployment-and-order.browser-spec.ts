import type { Locator, Page } from 'playwright-core';
import { Client } from '../support/http.js';
import { describeBrowser, shot, until } from './support/browser.js';
import { field, useWebStack } from './support/web-stack.js';

// The deployment page and the order form as issue 15 asks: a deployment page that stays at its
// top through every action, its newest event in view, its steps; an order form whose banner goes
// once the fields are fixed, whose estimate says what is wrong and comes before the button on a
// phone. One stack for the file; the tests run in order on the deployment the first one orders.
describeBrowser('the deployment page and the order form in chromium', () => {
  const s = useWebStack();
  let deploymentId = '';

  it('the deployment page stays at its top, the state and actions in view, through stop, start, scale and terminate', async () => {
    const member = new Client(s.api.url, s.memberToken);
    const ordered = await member.post('/api/v1/orders', {
      blueprint: 'three-tier-shop@^1.2',
      name: `top-${s.run}`,
      parameters: { appCount: 2, dbPassword: 'hunter2-secret' },
      placement: { default: s.awsEnv },
      leaseHours: 24,
    });
    expect(ordered.status).toBe(202);
    deploymentId = ordered.body.id;

    // a window shorter than the page: the page could scroll, so a jump would show
    const { context, page } = await s.open(s.memberToken);
    await page.setViewportSize({ width: 1280, height: 640 });
    await page.goto(`${s.api.url}/deployments/${deploymentId}`);
    await stateIs(page, 'running');
    await eventsShown(page, member, deploymentId);
    expect(Number(await page.evaluate('document.documentElement.scrollHeight'))).toBeGreaterThan(640);
    await expectAtTop(page, 'when it opens');

    await act(page, 'Stop', 'Yes, stop');
    await stateIs(page, 'stopped');
    await eventsShown(page, member, deploymentId);
    await expectAtTop(page, 'after stop');

    await act(page, 'Start', 'Yes, start');
    await stateIs(page, 'running');
    await eventsShown(page, member, deploymentId);
    await expectAtTop(page, 'after start');

    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    await field(page, 'scale.tier').locator('select').selectOption('app');
    await field(page, 'scale.count').locator('input').fill('3');
    await page.getByRole('dialog').getByRole('button', { name: 'Scale' }).click();
    await until(
      'three app instances, running',
      async () =>
        (await page.locator('tr[data-tier="app"]').count()) === 3 &&
        (await page.locator('h1 .state-pill').textContent()) === 'running',
      150_000,
    );
    await eventsShown(page, member, deploymentId);
    await expectAtTop(page, 'after scale');

    // what was ordered is on the page: the parameters' values, a subnet, the lease
    const parameters = await page
      .locator('dl[aria-label="Parameters"] > div')
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('dt')?.textContent, r.querySelector('dd')?.textContent]),
      );
    expect(parameters).toEqual(
      expect.arrayContaining([
        ['appCount', '2'],
        ['dbPassword', '********'],
      ]),
    );
    expect(await page.locator('dl[aria-label="Subnets"] dd').first().textContent()).toMatch(
      /^\d+\.\d+\.\d+\.\d+\/\d+$/,
    );
    expect(await page.getByTestId('lease').textContent()).toMatch(
      /^Terminated automatically on \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(in 23 h \d{2} min\)/,
    );
    // instance ids on one line each, even on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    const ids = await page.locator('table[aria-label="Instances"] td code').all();
    expect(ids).toHaveLength(5);
    for (const id of ids) expect(await id.evaluate((el) => el.getClientRects().length)).toBe(1);
    await page.setViewportSize({ width: 1280, height: 640 });
    await page.evaluate('window.scrollTo(0, 0)');

    const outputLink = page.locator('.kv a', { hasText: /^https?:\/\// });
    await outputLink.first().waitFor();

    await act(page, 'Terminate', 'Yes, terminate');
    await stateIs(page, 'terminated');
    await eventsShown(page, member, deploymentId);
    await expectAtTop(page, 'after terminate');
    // what it linked to is gone: no link to it
    expect(await outputLink.count()).toBe(0);
    await shot(page, 'deployment-terminated-at-top');
    await context.close();
  }, 600_000);

  it('the newest event is in view in the timeline box, at 1280 and 390 px', async () => {
    if (!deploymentId) throw new Error('no deployment: the test above did not order one');
    const member = new Client(s.api.url, s.memberToken);
    for (const width of [1280, 390]) {
      const { context, page } = await s.open(s.memberToken, width);
      await page.goto(`${s.api.url}/deployments/${deploymentId}`);
      await stateIs(page, 'terminated');
      const events = await eventsShown(page, member, deploymentId);
      const box = page.locator('.timeline');
      // enough events to fill the box: it scrolls, and only part of it is in view
      const sizes = await box.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
      expect(sizes.scroll).toBeGreaterThan(sizes.client);
      const newest = events.at(-1)!;
      const item = box
        .locator('li[data-type]')
        .filter({ has: page.locator(`time[datetime="${newest.createdAt}"]`) })
        .filter({ hasText: newest.message });
      await expectInside(item, box, `the newest event at ${width} px`);
      await shot(page, `deployment-timeline-${width}`);
      await context.close();
    }
  }, 120_000);

  it('shows the steps to running (network, provision, configure, running), each done, with how long it took', async () => {
    if (!deploymentId) throw new Error('no deployment: the test above did not order one');
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/deployments/${deploymentId}`);
    const steps = page.getByRole('list', { name: 'Progress to running' }).getByRole('listitem');
    await steps.first().waitFor();
    await until('the timeline to load', async () => (await page.locator('.timeline li').count()) > 4);
    expect(await steps.evaluateAll((li) => li.map((l) => l.getAttribute('data-step')))).toEqual([
      'network',
      'provision',
      'configure',
      'running',
    ]);
    const texts = await steps.allTextContents();
    for (const [n, step] of ['network', 'provision', 'configure'].entries()) {
      expect(texts[n]).toMatch(
        new RegExp(`^✓${step}done in \\d+(\\.\\d)? (ms|s)$|^✓${step}done in \\d+ min`),
      );
    }
    expect(texts[3]).toMatch(/^✓runningreached after \d/);
    await context.close();
  }, 120_000);

  it('the order form: the banner goes once every marked field is fixed, without ordering again', async () => {
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/catalog/three-tier-shop/1.3.0/order`);
    await page.getByTestId('estimate-monthly').waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'Fix the fields marked below first.' });

    // two fields wrong: a bad name and the password not given
    await field(page, 'name').locator('input').fill('Not A Name');
    await page.getByRole('button', { name: 'Order', exact: true }).click();
    await banner.waitFor();
    await field(page, 'parameters.dbPassword').locator('.field-error').waitFor();

    // one fixed: the banner stays, the other is still marked
    await field(page, 'name').locator('input').fill(`fixed-${s.run}`);
    expect(await field(page, 'name').locator('.field-error').count()).toBe(0);
    expect(await banner.count()).toBe(1);

    // the last one fixed: the banner is gone, and nothing was ordered
    await field(page, 'parameters.dbPassword').locator('input').fill('hunter2-secret');
    await banner.waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/\/order$/);
    await context.close();
  }, 60_000);

  it("the order form's estimate says what is wrong, field by field", async () => {
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/catalog/three-tier-shop/1.3.0/order`);
    await page.getByTestId('estimate-monthly').waitFor();
    await field(page, 'parameters.appCount').locator('input').fill('99');
    const problem = page.getByRole('complementary', { name: 'Cost estimate' }).locator('.problem-list li');
    await problem.first().waitFor();
    expect(await problem.allTextContents()).toEqual(['Parameter App count must be at most 10']);
    await context.close();
  }, 60_000);

  it('an unknown environment is refused naming the ones that may be used', async () => {
    const member = new Client(s.api.url, s.memberToken);
    const planned = await member.post('/api/v1/blueprints/three-tier-shop/versions/1.3.0/plan', {
      parameters: { dbPassword: 'hunter2-secret' },
      placement: { default: s.awsEnv, tiers: { db: 'no-such-env' } },
    });
    expect(planned.status).toBe(400);
    const usable = (await member.get('/api/v1/environments')).body.items.map((e: { name: string }) => e.name);
    expect(usable).toEqual(expect.arrayContaining([s.awsEnv, s.vsEnv]));
    expect(planned.body.details).toEqual([
      {
        path: 'placement.tiers.db',
        message: `no-such-env is not an environment you may use; you may use ${[...usable].sort().join(', ')}`,
      },
    ]);
  }, 60_000);

  it('on a phone (390 px) the estimate comes before the Order button', async () => {
    const { context, page } = await s.open(s.memberToken, 390);
    await page.goto(`${s.api.url}/catalog/three-tier-shop/1.3.0/order`);
    await page.getByTestId('estimate-monthly').waitFor();
    const estimate = await page.getByRole('complementary', { name: 'Cost estimate' }).boundingBox();
    const order = await page.getByRole('button', { name: 'Order', exact: true }).boundingBox();
    expect(estimate!.y).toBeLessThan(order!.y);
    await shot(page, 'order-form-390');
    await context.close();
  }, 60_000);
});

interface ApiEvent {
  id: string;
  message: string;
  createdAt: string;
}

async function stateIs(page: Page, state: string): Promise<void> {
  await page
    .locator('h1 .state-pill')
    .filter({ hasText: new RegExp(`^${state}$`) })
    .waitFor({ timeout: 150_000 });
}

/** Waits until the timeline shows every event the API has, and gives them (oldest first). */
async function eventsShown(page: Page, member: Client, id: string): Promise<ApiEvent[]> {
  let events: ApiEvent[] = [];
  await until('the timeline to show every event', async () => {
    events = (await member.get(`/api/v1/deployments/${id}/events`)).body.items;
    return (await page.locator('.timeline li[data-type]').count()) === events.length;
  });
  return events;
}

async function act(page: Page, action: string, confirm: string): Promise<void> {
  const button = page.getByRole('button', { name: action, exact: true });
  await button.and(page.locator(':not([aria-disabled])')).waitFor({ timeout: 60_000 });
  await button.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: confirm }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The window is at the top, with the state and the action buttons inside it. */
async function expectAtTop(page: Page, when: string): Promise<void> {
  const scrollY = Number(await page.evaluate('window.scrollY'));
  expect({ when, scrollY }).toEqual({ when, scrollY: 0 });
  const height = page.viewportSize()!.height;
  for (const [what, locator] of [
    ['the state', page.locator('h1 .state-pill')],
    ['the actions', page.getByRole('group', { name: 'Actions' })],
  ] as const) {
    const box = await locator.boundingBox();
    const inView = box !== null && box.y >= 0 && box.y + box.height <= height;
    expect({ when, what, inView }).toEqual({ when, what, inView: true });
  }
}

/** `item`'s box lies within the part of the scrolling `box` that shows (and the window's). */
async function expectInside(item: Locator, box: Locator, what: string): Promise<void> {
  const shown = await box.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top + el.clientTop, bottom: r.top + el.clientTop + el.clientHeight };
  });
  const b = await item.boundingBox();
  expect({ what, found: b !== null }).toEqual({ what, found: true });
  const inside = b!.y >= shown.top - 1 && b!.y + b!.height <= shown.bottom + 1;
  expect({ what, inside, item: b, box: shown }).toMatchObject({ what, inside: true });
}
