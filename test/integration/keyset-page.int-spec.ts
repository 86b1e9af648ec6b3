import { jest } from '@jest/globals';
import { AuditLogEntity, CORE_ENTITIES, dataSourceOptions, TenantEntity } from '@switchyard/core/database';
import { MIGRATIONS } from '@switchyard/migrations';
import { DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { AppException, ErrorCode } from '../../apps/api/src/common/app.exception.js';
import { keysetPage, type SortKey } from '../../apps/api/src/common/keyset-page.util.js';
import { encodeCursor, type Page } from '../../apps/api/src/common/pagination.js';
import { migratedDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

// Tenants k-0…k-6: k-2, k-3 and k-4 share one created_at, so their order comes from the id alone.
const AT = ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-03', '2025-01-03', '2025-01-04', '2025-01-05'];

describe('keysetPage on Postgres', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;

  beforeAll(async () => {
    db = await migratedDatabase(testEnv().DATABASE_URL, 'keyset');
    ds = new DataSource(dataSourceOptions(db.url, CORE_ENTITIES, MIGRATIONS, { poolSize: 2 }));
    await ds.initialize();
    for (const [i, at] of AT.entries()) {
      await ds.query(
        `INSERT INTO tenants (name, display_name, created_at, updated_at) VALUES ($1, '', $2, $3)`,
        [`k-${i}`, `${at}T00:00:00.000Z`, `2030-01-0${7 - i}T00:00:00.000Z`],
      );
    }
    const [{ id }] = (await ds.query(`SELECT id FROM tenants WHERE name = 'k-0'`)) as [{ id: string }];
    for (let i = 0; i < 5; i++) {
      await ds.query(
        `INSERT INTO audit_log (tenant_id, actor_name, action, resource_type, resource_id, created_at)
         VALUES ($1, 'test', 'keyset', 'test', $2, '2025-02-01T00:00:00.000Z')`,
        [id, `r-${i}`],
      );
    }
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const tenants = () => ds.getRepository(TenantEntity).createQueryBuilder('t').where(`t.name LIKE 'k-%'`);

  /** Every page, following nextCursor, each of at most `limit` items. */
  async function walk<R extends ObjectLiteral>(
    query: () => SelectQueryBuilder<R>,
    key: SortKey<R>,
    limit: number,
  ): Promise<{ items: R[]; pages: Page<R>[] }> {
    const pages: Page<R>[] = [];
    let cursor: string | undefined;
    do {
      const page = await keysetPage(query(), key, cursor, limit);
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 20);
    return { items: pages.flatMap((p) => p.items), pages };
  }

  async function expected(order: 'ASC' | 'DESC'): Promise<string[]> {
    const rows = (await ds.query(
      `SELECT name FROM tenants WHERE name LIKE 'k-%' ORDER BY created_at ${order}, id ${order}`,
    )) as { name: string }[];
    return rows.map((r) => r.name);
  }

  it('walks every row once, in (created_at, id) order, ties included', async () => {
    const { items, pages } = await walk(tenants, { columns: ['t.created_at', 't.id'] }, 2);
    expect(items.map((t) => t.name)).toEqual(await expected('ASC'));
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
  });

  it('walks backwards, newest first, with DESC', async () => {
    const { items } = await walk(tenants, { columns: ['t.created_at', 't.id'], order: 'DESC' }, 3);
    expect(items.map((t) => t.name)).toEqual(await expected('DESC'));
  });

  it('gives no cursor when the page holds the rest exactly', async () => {
    const page = await keysetPage(tenants(), { columns: ['t.created_at', 't.id'] }, undefined, AT.length);
    expect(page.items).toHaveLength(AT.length);
    expect(page.nextCursor).toBeNull();
  });

  it('pages a query without an entity as raw rows, in the same order', async () => {
    const raw = () =>
      ds
        .createQueryBuilder()
        .select(`t.id AS id, t.name AS name, t.created_at AS "createdAt"`)
        .from('tenants', 't')
        .where(`t.name LIKE 'k-%'`) as SelectQueryBuilder<{ id: string; name: string; createdAt: Date }>;
    const { items } = await walk(raw, { columns: ['t.created_at', 't.id'], rows: 'raw' }, 2);
    expect(items.map((t) => t.name)).toEqual(await expected('ASC'));
    expect(items[0]).toEqual({ id: expect.any(String), name: 'k-0', createdAt: expect.any(Date) });
  });

  it('reads the position where the sort key says (another timestamp column)', async () => {
    const { items } = await walk(
      tenants,
      { columns: ['t.updated_at', 't.id'], position: (t) => ({ createdAt: t.updatedAt, id: t.id }) },
      2,
    );
    // updated_at runs the other way round
    expect(items.map((t) => t.name)).toEqual(['k-6', 'k-5', 'k-4', 'k-3', 'k-2', 'k-1', 'k-0']);
  });

  it('pages identity (bigint) ids with their own cursors', async () => {
    const audit = () => ds.getRepository(AuditLogEntity).createQueryBuilder('a').where(`a.action = 'keyset'`);
    const { items } = await walk(
      audit,
      { columns: ['a.created_at', 'a.id'], order: 'DESC', idKind: 'bigint' },
      2,
    );
    expect(items.map((a) => a.resourceId)).toEqual(['r-4', 'r-3', 'r-2', 'r-1', 'r-0']);
    // a uuid cursor is not one of these lists' cursors, nor the other way round
    const uuidCursor = encodeCursor({ createdAt: new Date(), id: '00000000-0000-0000-0000-000000000000' });
    await expect(
      keysetPage(audit(), { columns: ['a.created_at', 'a.id'], idKind: 'bigint' }, uuidCursor, 2),
    ).rejects.toThrow(AppException);
    const bigintCursor = encodeCursor({ createdAt: new Date(), id: '42' });
    await expect(
      keysetPage(tenants(), { columns: ['t.created_at', 't.id'] }, bigintCursor, 2),
    ).rejects.toThrow(AppException);
  });

  it('refuses a cursor it did not write with a 400 naming cursor, before any SQL', async () => {
    const qb = tenants();
    const fetch = jest.spyOn(qb, 'getMany');
    const forged = Buffer.from(`2025-01-01T00:00:00.000Z|' OR 1=1 --`).toString('base64url');
    const refused = await keysetPage(qb, { columns: ['t.created_at', 't.id'] }, forged, 2).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(AppException);
    expect((refused as AppException).code).toBe(ErrorCode.Invalid);
    expect((refused as AppException).details).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    expect(fetch).not.toHaveBeenCalled();
  });
});
