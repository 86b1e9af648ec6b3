import { CORE_ENTITIES, dataSourceOptions } from '@switchyard/core/database';
import { MIGRATIONS } from '@switchyard/migrations';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { latestOf, latestPublished } from '../../apps/api/src/blueprints/blueprint-mapping.util.js';
import {
  BlueprintsRepository,
  type BlueprintListFilter,
  type BlueprintRow,
} from '../../apps/api/src/blueprints/blueprints.repository.js';
import { keysetPage } from '../../apps/api/src/common/keyset-page.util.js';
import { encodeCursor, type Page } from '../../apps/api/src/common/pagination.js';
import { likePatterns } from '../../apps/api/src/governance/entitlements/name-pattern.util.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

/** What a list item is made of: the row and its latest published version. */
type Listed = BlueprintRow & { latest: string | null };

const COLUMNS = `b.id, b.tenant_id AS "tenantId", b.name, b.kind, b.owner, b.category, b.tags,
  b.title, b.description, b.created_at AS "createdAt", b.updated_at AS "updatedAt"`;

// Timestamps from a small set: many rows share one, within a tenant and across own and shared.
const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const at = (i: number) => new Date(T0 + (i % 9) * 1000).toISOString();

/**
 * The list as it was before the two-part rewrite (one WHERE with "own OR shared", keysetPage, then
 * the version heads in a second query): the oracle the new query must match row for row.
 */
async function oldList(
  ds: DataSource,
  tenantId: string,
  sharedTenantId: string | undefined,
  f: BlueprintListFilter,
  cursor: string | undefined,
  limit: number,
): Promise<Page<Listed>> {
  const qb = ds
    .createQueryBuilder()
    .select(COLUMNS)
    .from('blueprints', 'b') as SelectQueryBuilder<BlueprintRow>;
  if (sharedTenantId !== undefined && sharedTenantId !== tenantId) {
    qb.where(
      `(b.tenant_id = :tenantId OR (b.tenant_id = :sharedTenantId AND NOT EXISTS (
         SELECT 1 FROM blueprints o WHERE o.tenant_id = :tenantId AND o.name = b.name)))`,
      { tenantId, sharedTenantId },
    );
  } else {
    qb.where('b.tenant_id = :tenantId', { tenantId });
  }
  if (f.q) {
    qb.andWhere('(b.name ILIKE :q OR b.title ILIKE :q OR b.description ILIKE :q)', {
      q: `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    });
  }
  if (f.category) qb.andWhere('b.category = :category', { category: f.category });
  if (f.tag) qb.andWhere(':tag = ANY(b.tags)', { tag: f.tag });
  if (f.owner) qb.andWhere('b.owner = :owner', { owner: f.owner });
  if (f.kind) qb.andWhere('b.kind = :kind', { kind: f.kind });
  if (f.entitled) qb.andWhere(`b.name LIKE ANY (CAST(:entitled AS text[]))`, { entitled: f.entitled });
  const page = await keysetPage(qb, { columns: ['b.created_at', 'b.id'], rows: 'raw' }, cursor, limit);
  const heads = await new BlueprintsRepository(ds).versionHeads(
    [...new Set(page.items.map((r) => r.tenantId))],
    page.items.map((r) => r.id),
  );
  return {
    items: page.items.map((r) => ({
      ...r,
      latest: latestPublished(heads.filter((h) => h.blueprintId === r.id)),
    })),
    nextCursor: page.nextCursor,
  };
}

async function newList(
  repo: BlueprintsRepository,
  tenantId: string,
  sharedTenantId: string | undefined,
  f: BlueprintListFilter,
  cursor: string | undefined,
  limit: number,
): Promise<Page<Listed>> {
  const page = await repo.list(tenantId, sharedTenantId, f, cursor, limit);
  return {
    items: page.items.map(({ published, ...r }) => ({ ...r, latest: latestOf(published) })),
    nextCursor: page.nextCursor,
  };
}

describe('blueprint list query on Postgres (own and shared parts, merged)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  let repo: BlueprintsRepository;
  const tenant: Record<'shared' | 'own' | 'other', string> = { shared: '', own: '', other: '' };

  async function insert(tenantId: string, name: string, i: number, extra: Partial<BlueprintRow> = {}) {
    const [{ id }] = (await ds.query(
      `INSERT INTO blueprints (tenant_id, name, kind, owner, category, tags, title, description, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
      [
        tenantId,
        name,
        extra.kind ?? (i % 4 === 0 ? 'Service' : 'Blueprint'),
        extra.owner ?? `team-${i % 3}`,
        extra.category === undefined ? (i % 5 === 0 ? null : ['web', 'database'][i % 2]) : extra.category,
        extra.tags ?? [`tier-${i % 3}`, ...(i % 7 === 0 ? ['rare'] : [])],
        extra.title ?? `Blueprint number ${i}`,
        extra.description ?? (i % 6 === 0 ? `50% off_${i}, a back\\slash` : `plain ${i}`),
        extra.createdAt?.toISOString() ?? at(i),
      ],
    )) as [{ id: string }];
    // versions: none, a draft only, published ones with a prerelease above them, a deprecated one
    const versions: [string, string][] = [
      [],
      [['0.1.0', 'draft']],
      [
        ['1.0.0', 'published'],
        ['1.2.0', 'published'],
        ['2.0.0-rc.1', 'published'],
      ],
      [
        ['1.0.0', 'published'],
        ['1.1.0', 'deprecated'],
        ['1.3.0', 'draft'],
      ],
    ][i % 4] as [string, string][];
    for (const [version, state] of versions) {
      await ds.query(
        `INSERT INTO blueprint_versions (blueprint_id, tenant_id, version, state, source, content_type, document,
           sha256, published_at, deprecated_at)
         VALUES ($1, $2, $3, $4, 'x', 'yaml', '{}', $5, $6, $7)`,
        [
          id,
          tenantId,
          version,
          state,
          '0'.repeat(64),
          state === 'draft' ? null : at(i),
          state === 'deprecated' ? at(i) : null,
        ],
      );
    }
  }

  beforeAll(async () => {
    db = await migratedDatabase(testEnv().DATABASE_URL, 'bplist');
    ds = new DataSource(dataSourceOptions(db.url, CORE_ENTITIES, MIGRATIONS, { poolSize: 2 }));
    await ds.initialize();
    repo = new BlueprintsRepository(ds);
    for (const name of ['default', 'own', 'other']) {
      await ds.query(`INSERT INTO tenants (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
    }
    const rows = (await ds.query(`SELECT id, name FROM tenants`)) as { id: string; name: string }[];
    const id = (n: string) => rows.find((r) => r.name === n)!.id;
    Object.assign(tenant, { shared: id('default'), own: id('own'), other: id('other') });
    // shared: 30 demo blueprints; the own tenant shadows every third name (sd-0, sd-3, …) with its own
    for (let i = 0; i < 30; i++) await insert(tenant.shared, `sd-${i}`, i);
    for (let i = 0; i < 40; i++) await insert(tenant.own, `app-${i}`, i + 1);
    for (let i = 0; i < 30; i += 3)
      await insert(tenant.own, `sd-${i}`, i + 2, { title: `Own copy of sd-${i}` });
    // another tenant's rows, same names and times: never listed for the own tenant
    for (let i = 0; i < 20; i++) await insert(tenant.other, i % 2 ? `app-${i}` : `sd-${i}`, i);
    await ds.query('ANALYZE blueprints, blueprint_versions');
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const FILTERS: [string, BlueprintListFilter][] = [
    ['no filter', {}],
    ['q in the title', { q: 'number 1' }],
    ['q with LIKE characters', { q: '50% off_' }],
    ['q with a backslash', { q: 'back\\slash' }],
    ['q matching nothing', { q: 'zzz' }],
    ['tag', { tag: 'tier-1' }],
    ['rare tag', { tag: 'rare' }],
    ['category and kind', { category: 'web', kind: 'Blueprint' }],
    ['owner', { owner: 'team-2' }],
    ['entitled patterns', { entitled: likePatterns(['app-1*', 'sd-*', 'app-7']) }],
    ['entitled to nothing', { entitled: [] }],
    ['entitled and tag and q', { entitled: likePatterns(['sd-*']), tag: 'tier-0', q: 'number' }],
  ];

  /** Every page from `cursor` on, both ways, compared page by page (items and cursors). */
  async function walkBoth(
    tenantId: string,
    sharedTenantId: string | undefined,
    f: BlueprintListFilter,
    limit: number,
    cursor?: string,
  ): Promise<Listed[]> {
    const seen: Listed[] = [];
    for (let pages = 0; pages < 200; pages++) {
      const [before, after] = await Promise.all([
        oldList(ds, tenantId, sharedTenantId, f, cursor, limit),
        newList(repo, tenantId, sharedTenantId, f, cursor, limit),
      ]);
      expect(after).toEqual(before);
      expect(after.items.length).toBeLessThanOrEqual(limit);
      seen.push(...after.items);
      if (after.nextCursor === null) return seen;
      cursor = after.nextCursor;
    }
    throw new Error('more than 200 pages');
  }

  it.each(FILTERS)('own tenant with the shared catalog, %s: every page as before', async (_, f) => {
    for (const limit of [1, 3, 7, 50, 500]) await walkBoth(tenant.own, tenant.shared, f, limit);
  });

  it.each(FILTERS)('without a shared catalog, %s: every page as before', async (_, f) => {
    for (const limit of [2, 50]) await walkBoth(tenant.own, undefined, f, limit);
  });

  it.each(FILTERS)('as the default tenant itself, %s: every page as before', async (_, f) => {
    for (const limit of [4, 50]) await walkBoth(tenant.shared, tenant.shared, f, limit);
  });

  it('lists own rows and the unshadowed shared ones, never another tenant, ties in created_at included', async () => {
    const all = await walkBoth(tenant.own, tenant.shared, {}, 500);
    const names = all.map((r) => `${r.tenantId === tenant.own ? 'own' : 'shared'}:${r.name}`);
    expect(all.some((r) => r.tenantId === tenant.other)).toBe(false);
    expect(names.filter((n) => n.startsWith('own:'))).toHaveLength(50);
    // 30 shared, 10 of them shadowed by the own tenant's rows of the same name
    expect(names.filter((n) => n.startsWith('shared:'))).toHaveLength(20);
    expect(names).not.toContain('shared:sd-0');
    expect(names).toContain('own:sd-0');
    expect(names).toContain('shared:sd-1');
    // the order: created_at, then id, across both parts
    const keys = all.map((r) => `${r.createdAt.toISOString()}|${r.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(all.map((r) => r.createdAt.toISOString())).size).toBeLessThan(all.length / 5);
    // latest: the highest published, prereleases and deprecated ones left out
    expect(all.find((r) => r.name === 'sd-2')?.latest).toBe('1.2.0');
    expect(all.find((r) => r.name === 'sd-3')?.latest).toBe(null);
    expect(all.find((r) => r.name === 'app-2')?.latest).toBe('1.0.0');
  });

  it('continues the same way from a cursor at any row, shared and own, deep in the list', async () => {
    const all = await walkBoth(tenant.own, tenant.shared, {}, 500);
    for (const i of [0, 1, 17, 33, 34, 55, all.length - 2, all.length - 1]) {
      const cursor = encodeCursor(all[i]!);
      const rest = await walkBoth(tenant.own, tenant.shared, {}, 5, cursor);
      expect(rest.map((r) => r.id)).toEqual(all.slice(i + 1).map((r) => r.id));
      await walkBoth(tenant.own, tenant.shared, { tag: 'tier-2' }, 3, cursor);
    }
    // a position between rows (a created_at no row has, an id above every other at a shared one)
    await walkBoth(
      tenant.own,
      tenant.shared,
      {},
      4,
      encodeCursor({ createdAt: new Date(T0 + 3500), id: all[0]!.id }),
    );
    await walkBoth(
      tenant.own,
      tenant.shared,
      {},
      4,
      encodeCursor({ createdAt: new Date(T0 + 4000), id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }),
    );
  });

  it('a page boundary falling exactly on the end gives no cursor, like before', async () => {
    const all = await walkBoth(tenant.own, tenant.shared, {}, 500);
    const pages = await repo.list(tenant.own, tenant.shared, {}, undefined, all.length);
    expect(pages.items).toHaveLength(all.length);
    expect(pages.nextCursor).toBeNull();
    const short = await repo.list(tenant.own, tenant.shared, {}, undefined, all.length - 1);
    expect(short.nextCursor).not.toBeNull();
  });
});
