import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describeBrowser, shot, until } from './support/browser.js';
import { field, useWebStack } from './support/web-stack.js';

// page.evaluate runs in the page; the Node tsconfig has no DOM library (as in support/a11y.ts)
declare const navigator: any;

type ParameterDoc = { type: string; pattern?: string };
type DatePart = 'year' | 'month' | 'day';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
// what a regular expression looks like in text: anchors, escapes, classes, groups with quantifiers
const REGEX_LOOK = /\^|[+*)\]]\$|\\[dDsSwW.]|\[[^\]\s]*-[^\]\s]*\]|\)[*+?]|\.\*|\]\+/;

// the demo catalog: one file per blueprint, named as it
const DEMOS = readdirSync(resolve(import.meta.dirname, '../../libs/blueprints/catalog'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

/** The order of year, month and day in a date written as text, found by a date known to be in it. */
function orderIn(text: string, at: Date): DatePart[] {
  const parts: [DatePart, number][] = [
    ['year', at.getFullYear()],
    ['month', at.getMonth() + 1],
    ['day', at.getDate()],
  ];
  const numbers = (text.match(/\d+/g) ?? []).map(Number);
  const order = numbers
    .slice(0, 3)
    .map((n) => parts.find(([, v]) => v === n)?.[0])
    .filter((p): p is DatePart => p !== undefined);
  return [...new Set(order)];
}

/** The order in which a date field shows year, month and day to the person typing in it. */
async function fieldOrder(page: Page, path: string): Promise<DatePart[]> {
  const input = field(page, path).locator('input:visible').first();
  if ((await input.getAttribute('type')) === 'date') {
    // the browser's own date field shows the order of its locale
    const parts: string[] = await page.evaluate(() =>
      new Intl.DateTimeFormat(navigator.language, { year: 'numeric', month: '2-digit', day: '2-digit' })
        .formatToParts(new Date())
        .filter((p: { type: string }) => p.type !== 'literal')
        .map((p: { type: string }) => p.type),
    );
    return parts as DatePart[];
  }
  const letters: Record<string, DatePart> = { Y: 'year', M: 'month', D: 'day' };
  const placeholder = (await input.getAttribute('placeholder')) ?? '';
  return [...new Set([...placeholder.toUpperCase()].map((c) => letters[c]).filter((p) => p !== undefined))];
}

// Issue 15's text for people, not developers: parameters labelled in words with rules in words;
// account settings as labelled values; the audit log with names and a readable change; every
// deployment state in the filter; one date order in lists and in the date field. One stack.
describeBrowser('readable text in chromium', () => {
  const s = useWebStack();

  it('the order form of every demo blueprint labels its parameters in words and gives their rules without a regular expression', async () => {
    const list = await s.admin.get('/api/v1/blueprints?limit=500');
    expect(list.status).toBe(200);
    const demos = (list.body.items as { name: string; kind: string; latestVersion: string }[]).filter(
      (b) => DEMOS.includes(b.name) && b.kind === 'Blueprint',
    );
    expect(demos.length).toBeGreaterThan(0);
    const { context, page } = await s.open(s.memberToken);
    const faults: string[] = [];
    for (const b of demos) {
      const doc = await s.admin.get(`/api/v1/blueprints/${b.name}/versions/${b.latestVersion}`, {
        Accept: 'application/json',
      });
      expect(doc.status).toBe(200);
      const params = Object.entries((doc.body.parameters ?? {}) as Record<string, ParameterDoc>);
      await page.goto(`${s.api.url}/catalog/${b.name}/${b.latestVersion}/order`);
      await until(`${b.name}'s parameter fields`, async () => {
        return (await page.locator('[data-field^="parameters."]').count()) === params.length;
      });
      for (const [name, spec] of params) {
        const box = field(page, `parameters.${name}`);
        const label = ((await box.locator('label').first().textContent()) ?? '').replace(/\s*\*$/, '').trim();
        const hint =
          (await box.locator('.hint').count()) > 0 ? ((await box.locator('.hint').textContent()) ?? '') : '';
        const where = `${b.name} ${name}`;
        if (label === name || /[a-z][A-Z]/.test(label) || !/^[A-Z0-9]/.test(label))
          faults.push(`${where}: labelled "${label}"`);
        if (REGEX_LOOK.test(hint) || (spec.pattern && hint.includes(spec.pattern)))
          faults.push(`${where}: help shows a regular expression: "${hint}"`);
        if (spec.type === 'cidr' && !/network such as \d+\.\d+\.\d+\.\d+\/\d+/.test(hint))
          faults.push(`${where}: help does not say it is a network: "${hint}"`);
      }
      // nor anywhere else on the page: the estimate's problems with the values as they stand
      const estimate = page.getByRole('complementary', { name: 'Cost estimate' });
      await until(`${b.name}'s estimate`, async () => !(await estimate.innerText()).includes('Pricing…'));
      const text = await page.locator('main').innerText();
      if (REGEX_LOOK.test(text))
        faults.push(`${b.name}: the page shows ${text.match(REGEX_LOOK)?.[0]} in "${text}"`);
      if (b.name === 'wordpress') await shot(page, 'readable-order-wordpress');
    }
    expect(faults).toEqual([]);
    await context.close();
  });

  it("a cloud account's settings are labelled values, credentials masked, with no JSON quotes or braces", async () => {
    const { context, page } = await s.open(s.adminToken);
    await page.goto(`${s.api.url}/admin/cloud-accounts`);
    const card = page.locator(`[data-account="${s.awsAccount}"]`);
    await card.locator('dl dt').first().waitFor();
    const rows = await card.locator('dl > div').evaluateAll((divs: any[]) =>
      divs.map((d) => ({
        term: d.querySelector('dt').textContent,
        value: d.querySelector('dd').textContent,
      })),
    );
    const terms = rows.map((r: { term: string }) => r.term);
    expect(terms).toEqual(
      expect.arrayContaining(['Region', 'Endpoint', 'Access key id', 'Secret access key']),
    );
    for (const r of rows as { term: string; value: string }[]) {
      expect(r.term).not.toMatch(/[a-z][A-Z]|^[a-z]/);
      expect(r.value).not.toMatch(/["{}[\]]/);
    }
    const secret = rows.find((r: { term: string }) => r.term === 'Secret access key') as { value: string };
    expect(secret.value).toMatch(/^\*{8}/);
    expect(rows.find((r: { term: string }) => r.term === 'Region')).toEqual({
      term: 'Region',
      value: 'eu-west-1',
    });
    await shot(page, 'readable-cloud-account');
    await context.close();
  });

  it('the audit log names who acted and on what, not their ids, and says what changed as "field: old → new"', async () => {
    const name = `readable-${s.run}`;
    const user = await s.admin.post('/api/v1/users', { name, role: 'member' });
    expect(user.status).toBe(201);
    expect((await s.admin.patch(`/api/v1/users/${user.body.id}`, { role: 'operator' })).status).toBe(200);

    const { context, page } = await s.open(s.adminToken);
    await page.goto(`${s.api.url}/admin/audit-log?resourceType=user&resourceId=${user.body.id}`);
    const rows = page.getByRole('table', { name: 'Audit log' }).locator('tbody tr');
    await until('both entries of the user', async () => (await rows.count()) === 2);
    const texts = await rows.allInnerTexts();
    for (const text of texts) {
      expect(text).not.toMatch(UUID);
      expect(text).not.toMatch(/["{}]/);
      expect(text).toContain(name);
      expect(text).toContain('admin');
    }
    // newest first: the role change, then the creation
    expect(texts[0]).toMatch(/Role: member → operator/);
    expect(texts[1]).toMatch(/Role: member/);
    await shot(page, 'readable-audit-log');
    await context.close();
  });

  it("the deployments state filter offers every state of the API's enum", async () => {
    const doc = await s.admin.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    const listParams = doc.body.paths['/api/v1/deployments'].get.parameters as {
      name: string;
      schema: { enum?: string[] };
    }[];
    const states = listParams.find((p) => p.name === 'state')?.schema.enum ?? [];
    expect(states).toEqual(expect.arrayContaining(['pending', 'scaling', 'terminating', 'rolling-back']));

    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/deployments`);
    const options = page.getByLabel('State').locator('option');
    await options.first().waitFor({ state: 'attached' });
    const offered = (await options.evaluateAll((os: any[]) => os.map((o) => o.value))).filter(Boolean);
    expect([...offered].sort()).toEqual([...states].sort());
    // each shows as words, and choosing one asks the API for it
    const asked = page.waitForRequest((r) => new URL(r.url()).searchParams.get('state') === 'rolling-back');
    await page.getByLabel('State').selectOption({ label: 'rolling back' });
    await asked;
    await context.close();
  });

  it('a list page and the date field write dates in the same order', async () => {
    const newest = await s.admin.get('/api/v1/audit-log?limit=1');
    expect(newest.status).toBe(200);
    const at = new Date(newest.body.items[0].createdAt as string);
    const { context, page } = await s.open(s.adminToken);
    await page.goto(`${s.api.url}/admin/audit-log`);
    const firstWhen = page
      .getByRole('table', { name: 'Audit log' })
      .locator('tbody tr')
      .first()
      .locator('td')
      .first();
    const listed = (await firstWhen.textContent()) ?? '';
    const listOrder = orderIn(listed, at);
    expect(listOrder).toHaveLength(3);

    await page.goto(`${s.api.url}/admin/environments`);
    await page.getByRole('button', { name: 'Create environment' }).click();
    const dateOrder = await fieldOrder(page, 'priceList.date');
    expect({ listed, order: dateOrder }).toEqual({ listed, order: listOrder });
    // what is typed in that order is what the field keeps
    const text = listOrder.map((p) => ({ year: '2026', month: '11', day: '20' })[p]).join('-');
    await field(page, 'priceList.date').getByRole('textbox').fill(text);
    expect(await field(page, 'priceList.date').getByRole('textbox').inputValue()).toBe(text);
    await shot(page, 'readable-date-field');
    await context.close();
  });
});
