import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '../support/http.js';
import { describeBrowser, shot } from './support/browser.js';
import { topologyFaults } from './support/topology-geometry.js';
import { useWebStack } from './support/web-stack.js';

// page.evaluate runs in the page; the Node tsconfig has no DOM library (as in support/a11y.ts)
declare const document: any;
declare const window: any;

type Money = { amount: string; currency: string };
type TierPlan = {
  tier: string;
  environment: string;
  count: number;
  instanceType: { name: string; cpu: number; memoryMiB: number };
  total: { monthly: Money };
};
type Plan = {
  total: { hourly: Money; monthly: Money };
  monthly: { compute: Money; disk: Money };
  tiers: TierPlan[];
};
type Doc = {
  kind: string;
  parameters?: Record<string, { default?: unknown; required?: boolean; type: string }>;
  connections?: { from: string; to: string; ports?: string[] }[];
};

/** `$1,234.57`: to the cent, half up, as a person rounds the API's exact decimal. */
function cents(m: Money): string {
  const [whole = '0', fraction = ''] = m.amount.split('.');
  const micros = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  const c = (micros + 5_000n) / 10_000n;
  return `$${(c / 100n).toLocaleString('en-US')}.${(c % 100n).toString().padStart(2, '0')}`;
}

// The catalog's pages as issue 15 asks: a topology with no edge under a node and no label on
// another (every demo blueprint), that fits a phone; cost cards that compare sizes, mark the
// cheapest, keep one precision and split disk from compute; "from $X/month" on catalog cards; a
// service's page that explains it instead of offering an order. One stack for the file.
describeBrowser('the catalog pages in chromium', () => {
  const s = useWebStack();
  const member = () => new Client(s.api.url, s.memberToken);
  // a third environment, dear for most sizes but cheapest for the smallest and with priced disks:
  // the shop's web tier costs least there, its other tiers elsewhere, so a mixed placement saves
  let budgetEnv = '';
  beforeAll(async () => {
    budgetEnv = `budget-${s.run}`;
    const res = await s.admin.post('/api/v1/environments', {
      name: budgetEnv,
      title: 'Budget (moto)',
      account: s.awsAccountId,
      region: 'eu-west-1',
      images: [{ os: 'ubuntu', version: '22.04', imageId: s.moto.fixtures.image }],
      priceList: {
        currency: 'USD',
        source: 'test',
        date: '2026-11-01',
        storageGiBMonthPrice: '0.10',
        instanceTypes: [
          { name: 'b.tiny', cpu: 1, memoryMiB: 1024, hourlyPrice: '0.001' },
          { name: 'b.large', cpu: 4, memoryMiB: 16384, hourlyPrice: '0.5' },
        ],
      },
    });
    expect(res.status).toBe(201);
  });

  // the demo catalog: one file per blueprint, named as it
  const DEMOS = readdirSync(resolve(import.meta.dirname, '../../libs/blueprints/catalog'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));

  async function demoBlueprints(): Promise<{ name: string; kind: string; latestVersion: string }[]> {
    const res = await member().get('/api/v1/blueprints?limit=500');
    expect(res.status).toBe(200);
    const demos = res.body.items.filter((b: { name: string }) => DEMOS.includes(b.name));
    expect(demos.map((b: { name: string }) => b.name).sort()).toEqual([...DEMOS].sort());
    return demos;
  }

  async function doc(name: string, version: string): Promise<Doc> {
    const res = await member().get(`/api/v1/blueprints/${name}/versions/${version}`, {
      Accept: 'application/json',
    });
    expect(res.status).toBe(200);
    return res.body;
  }

  /** The blueprint planned on each environment the member may use, with default parameters. */
  async function plans(name: string, version: string): Promise<Map<string, Plan>> {
    const d = await doc(name, version);
    const parameters = Object.fromEntries(
      Object.entries(d.parameters ?? {})
        .filter(([, p]) => p.required && p.default === undefined)
        .map(([n]) => [n, 'a-value-for-pricing']),
    );
    const envs = await member().get('/api/v1/environments?limit=500');
    expect(envs.status).toBe(200);
    const out = new Map<string, Plan>();
    for (const env of envs.body.items as { name: string }[]) {
      const res = await member().post(`/api/v1/blueprints/${name}/versions/${version}/plan`, {
        parameters,
        placement: { default: env.name },
      });
      if (res.status === 200) out.set(env.name, res.body);
    }
    return out;
  }

  const cheapest = (all: Map<string, Plan>) =>
    [...all].sort((a, b) => Number(a[1].total.monthly.amount) - Number(b[1].total.monthly.amount))[0]!;

  it('draws every demo blueprint with no edge under a node and no label over another or over a node', async () => {
    const { context, page } = await s.open(s.memberToken);
    const demos = await demoBlueprints();
    expect(DEMOS).toEqual(expect.arrayContaining(['etl-pipeline', 'hpc-cluster', 'three-tier-shop']));
    // every blueprint's faults, then one assertion: a failure lists them all
    const seen: Record<string, string[]> = {};
    for (const b of demos) {
      await page.goto(`${s.api.url}/catalog/${b.name}`);
      await page.locator('figure.topology svg').waitFor();
      const faults = await topologyFaults(page);
      const d = await doc(b.name, b.latestVersion);
      seen[b.name] = [
        // every connection is drawn, so an empty diagram cannot pass
        ...(faults.edges === (d.connections ?? []).length
          ? []
          : [`${faults.edges} edges drawn for ${(d.connections ?? []).length} connections`]),
        ...faults.edgeUnderNode,
        ...faults.labelOverlaps,
        // an outside source reads as a network, not as the raw reference
        ...faults.texts.filter((t) => t.includes('params.')).map((t) => `raw reference "${t}"`),
      ];
      if (b.name === 'etl-pipeline') {
        if (!faults.texts.includes('Admin network') || !faults.texts.includes('10.0.0.0/8 (adminCidr)')) {
          seen[b.name]!.push('no "Admin network" node with its value');
        }
        await shot(page, 'topology-etl');
      }
    }
    expect(seen).toEqual(Object.fromEntries(demos.map((b) => [b.name, []])));
    await context.close();
  }, 180_000);

  it('shows the whole ETL topology in a 390 px window, and at full size to scroll through on request', async () => {
    const { context, page } = await s.open(s.memberToken, 390);
    await page.goto(`${s.api.url}/catalog/etl-pipeline`);
    await page.locator('figure.topology svg').waitFor();
    const look = () =>
      page.evaluate(() => {
        const box = document.querySelector('figure.topology .topology-scroll');
        const svg = box.querySelector('svg');
        const b = box.getBoundingClientRect();
        const g = svg.getBoundingClientRect();
        return {
          pageWidth: document.scrollingElement?.scrollWidth ?? 0,
          boxInWindow: b.left >= 0 && b.right <= window.innerWidth,
          // nothing of the drawing lies outside its box, and it is drawn whole, not cut
          whole: g.left >= b.left - 1 && g.right <= b.right + 1,
          ratioKept:
            Math.abs(g.width / g.height - svg.viewBox.baseVal.width / svg.viewBox.baseVal.height) < 0.02,
          scale: g.width / svg.viewBox.baseVal.width,
          scrolls: box.scrollWidth > box.clientWidth,
        };
      });
    const fitted = await look();
    expect(fitted).toMatchObject({
      pageWidth: 390,
      boxInWindow: true,
      whole: true,
      ratioKept: true,
      scrolls: false,
    });
    await shot(page, 'topology-390');
    await page.getByRole('button', { name: 'Full size' }).click();
    const full = await look();
    expect(full).toMatchObject({
      pageWidth: 390,
      boxInWindow: true,
      ratioKept: true,
      scale: 1,
      scrolls: true,
    });
    await page.getByRole('button', { name: 'Fit to width' }).click();
    expect(await look()).toMatchObject({ whole: true, scrolls: false });
    await context.close();
  }, 120_000);

  it('compares the sizes on every environment card: vCPU and memory, one Cheapest marker, one precision, disk apart', async () => {
    const all = await plans('three-tier-shop', await demoVersion('three-tier-shop'));
    expect(all.size).toBe(3);
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/catalog/three-tier-shop`);
    await page.locator('.cost-card .cost-total').first().waitFor();
    for (const [env, plan] of all) {
      const card = page.locator(`.cost-card[data-environment="${env}"]`);
      expect(await card.locator('.cost-total').textContent()).toBe(`${cents(plan.total.monthly)} / month`);
      expect(await card.locator('li').allTextContents()).toEqual(
        plan.tiers.map((t) => {
          const gib = Math.round((t.instanceType.memoryMiB / 1024) * 100) / 100;
          return `${t.tier} ${t.count} × ${t.instanceType.name} (${t.instanceType.cpu} vCPU · ${gib} GiB) · ${cents(t.total.monthly)}`;
        }),
      );
      expect(await card.locator('[data-testid="cost-compute"]').textContent()).toBe(
        cents(plan.monthly.compute),
      );
      expect(await card.locator('[data-testid="cost-disk"]').textContent()).toBe(cents(plan.monthly.disk));
    }
    // disks are priced on the budget environment: the split is there to see
    expect(Number(all.get(budgetEnv)?.monthly.disk.amount)).toBeGreaterThan(0);
    // one marker, on the card the API prices lowest
    const marked = page.locator('.cost-card:has(.badge-cheapest)');
    expect(await marked.count()).toBe(1);
    expect(await marked.getAttribute('data-environment')).toBe(cheapest(all)[0]);
    expect(await marked.locator('.badge-cheapest').textContent()).toBe('Cheapest');
    // the same precision on every card: money to the cent, hourly rates to 4 decimals
    const amounts = await page
      .locator(
        '.cost-card [data-testid="cost-monthly"], .cost-card [data-testid="cost-compute"], .cost-card [data-testid="cost-disk"], .cost-card [data-testid="tier-monthly"]',
      )
      .allTextContents();
    expect(amounts.filter((a) => !/^\$[\d,]+\.\d{2}( \/ month)?$/.test(a))).toEqual([]);
    const hourly = await page.locator('.cost-card [data-testid="cost-hourly"]').allTextContents();
    expect(hourly.length).toBeGreaterThanOrEqual(all.size);
    expect(hourly.filter((h) => !/^\$[\d,]+\.\d{4} \/ hour$/.test(h))).toEqual([]);
    await shot(page, 'cost-comparison');
    await context.close();
  }, 120_000);

  it('prices a mixed placement, each tier where the API prices it lowest, when that beats every single environment', async () => {
    const version = await demoVersion('three-tier-shop');
    const all = await plans('three-tier-shop', version);
    const [base] = cheapest(all);
    const tiers: Record<string, string> = {};
    for (const t of all.get(base)!.tiers) {
      const best = [...all]
        .map(([env, p]) => ({
          env,
          amount: Number(p.tiers.find((x) => x.tier === t.tier)!.total.monthly.amount),
        }))
        .sort((a, b) => a.amount - b.amount || Number(b.env === base) - Number(a.env === base))[0]!;
      if (best.env !== base) tiers[t.tier] = best.env;
    }
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/catalog/three-tier-shop`);
    await page.locator('.cost-card .cost-total').first().waitFor();
    const mixed = page.locator('.cost-card[data-mixed="true"]');
    expect(tiers).toEqual({ web: budgetEnv });
    const res = await member().post(`/api/v1/blueprints/three-tier-shop/versions/${version}/plan`, {
      parameters: { dbPassword: 'a-value-for-pricing' },
      placement: { default: base, tiers },
    });
    expect(res.status).toBe(200);
    await mixed.locator('[data-testid="cost-monthly"]').waitFor();
    expect(await mixed.locator('[data-testid="cost-monthly"]').textContent()).toBe(
      `${cents(res.body.total.monthly)} / month`,
    );
    expect(Number(res.body.total.monthly.amount)).toBeLessThan(Number(all.get(base)!.total.monthly.amount));
    const envs = (await member().get('/api/v1/environments?limit=500')).body.items as {
      name: string;
      title: string;
    }[];
    const title = (env: string) => envs.find((e) => e.name === env)?.title;
    expect(await mixed.locator('li[data-tier="web"]').textContent()).toContain(`on ${title(budgetEnv)}`);
    expect(await mixed.locator('li[data-tier="db"]').textContent()).toContain(`on ${title(base)}`);
    await shot(page, 'cost-mixed');
    await context.close();
  }, 120_000);

  it('shows "from $X/month" on each blueprint card: the cheapest estimate the API gives at default parameters', async () => {
    const expected: Record<string, string> = {};
    for (const name of ['three-tier-shop', 'etl-pipeline']) {
      expected[name] =
        `from ${cents(cheapest(await plans(name, await demoVersion(name)))[1].total.monthly)}/month`;
    }
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/catalog`);
    await page.locator('.bp-card').first().waitFor();
    for (const [name, text] of Object.entries(expected)) {
      const card = page.locator('.bp-card', { has: page.locator(`a[href="/catalog/${name}"]`) });
      expect(await card.getByTestId('from-price').textContent()).toBe(text);
    }
    // services are not ordered alone: no price on their cards
    const service = page.locator('.bp-card', { has: page.locator('a[href="/catalog/postgres"]') });
    expect(await service.getByTestId('from-price').count()).toBe(0);
    await context.close();
  }, 120_000);

  it("a service's page says what it is, lists the blueprints that use it and how, and offers no order", async () => {
    const { context, page } = await s.open(s.memberToken);
    await page.goto(`${s.api.url}/catalog/postgres`);
    const users = page.getByRole('list', { name: 'Blueprints that use it' });
    await users.waitFor();
    expect(await page.getByRole('link', { name: /order/i }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /order/i }).count()).toBe(0);
    const named = await users.getByRole('link').allTextContents();
    // the three-tier shop runs its own PostgreSQL (the machine's, where it has one), not this Service
    expect(named).toEqual(
      expect.arrayContaining(['ETL pipeline (Airflow)', expect.stringMatching(/RStudio/i)]),
    );
    expect(named).toHaveLength(2);
    // the snippet: the reference, and the settings a blueprint that uses it gives it
    const snippet = await page.getByTestId('service-snippet').textContent();
    expect(snippet).toContain('uses: postgres@^15');
    expect(snippet).toContain('PGPASSWORD:');
    await shot(page, 'service-postgres');
    await context.close();
  }, 120_000);

  async function demoVersion(name: string): Promise<string> {
    return (await demoBlueprints()).find((b) => b.name === name)!.latestVersion;
  }
});
