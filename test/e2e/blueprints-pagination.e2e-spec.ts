import { simpleYaml, tenantWithTokens, YAML } from '../support/blueprint-fixtures.js';
import { Client } from '../support/http.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

interface Item {
  name: string;
  shared: boolean;
  createdAt: string;
}

const SEEDED = 60;
const PAGE = 7;
// Enough pages to drain the seeds, the demo catalog and every concurrent push; more means a loop.
const MAX_PAGES = 200;
const MAX_WRITES = 80;

describe('blueprint list pagination', () => {
  let api: Proc & { url: string };
  let operator: Client;
  let member: Client;
  const run = Date.now().toString(36);
  const seeded = Array.from({ length: SEEDED }, (_, i) => `pg-s-${run}-${i}`);

  beforeAll(async () => {
    api = await startApi(await stackEnv());
    const admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
    ({ operator, member } = await tenantWithTokens(admin, `bp-page-${run}`));
    // Six pushes at a time: several rows then share a created_at millisecond, so the order
    // within a millisecond (the id tie-breaker) is exercised too, not only distinct timestamps.
    for (let i = 0; i < SEEDED; i += 6) {
      await Promise.all(seeded.slice(i, i + 6).map((name) => push(name, '1.0.0')));
    }
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  async function push(name: string, version: string): Promise<void> {
    const res = await operator.post('/api/v1/blueprints', simpleYaml(name, version), YAML);
    if (res.status !== 201 && res.status !== 200) throw new Error(`push ${name}: ${res.status} ${res.text}`);
  }

  it('pages through every seeded blueprint exactly once, in the stable order, while others are pushed', async () => {
    // The stable order: the list at rest, in one page.
    const atRest = await member.get<{ items: Item[]; nextCursor: string | null }>(
      '/api/v1/blueprints?limit=500',
    );
    expect(atRest.status).toBe(200);
    expect(atRest.body.nextCursor).toBeNull();
    const seededSet = new Set(seeded);
    const stableOrder = atRest.body.items.map((i) => i.name).filter((n) => seededSet.has(n));
    expect([...stableOrder].sort()).toEqual([...seeded].sort());

    // The writer keeps pushing new blueprints, and new versions of seeded ones (which rewrite
    // their listing fields and updated_at, but must not move them in the list).
    let writes = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop && writes < MAX_WRITES) {
        await push(`pg-n-${run}-${writes}`, '1.0.0');
        await push(seeded[(writes * 7) % SEEDED]!, `1.0.${writes + 1}`);
        writes++;
      }
    })();

    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    try {
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page = await member.get<{ items: Item[]; nextCursor: string | null }>(
          `/api/v1/blueprints?limit=${PAGE}${query}`,
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(PAGE);
        names.push(...page.body.items.map((i) => i.name));
        cursor = page.body.nextCursor;
        pages++;
        // Let at least one write land between consecutive pages, so every page boundary sees inserts.
        const before = writes;
        const deadline = Date.now() + 5_000;
        while (!stop && writes === before && writes < MAX_WRITES && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 2));
        }
      } while (cursor !== null && pages < MAX_PAGES);
    } finally {
      stop = true;
      await writer;
    }

    expect(pages).toBeLessThan(MAX_PAGES);
    expect(writes).toBeGreaterThan(0);
    // No name twice across pages (duplicates), and each seeded name exactly once (no skips).
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    expect(repeated).toEqual([]);
    const seenSeeded = names.filter((n) => seededSet.has(n));
    expect(seenSeeded).toEqual(stableOrder);
  });
});
