import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import {
  DEFAULT_PAGE_LIMIT,
  decodeCursor,
  pageOf,
  type CursorIdKind,
  type CursorPosition,
  type Page,
} from './pagination.js';

/** The order a list is paged in: a timestamp column, then the row's id to break ties. */
export interface SortKey<R> {
  /** The two columns in SQL, e.g. `['d.created_at', 'd.id']`. */
  columns: readonly [at: string, id: string];
  /** `DESC`: newest first, the cursor walking backwards (default `ASC`). */
  order?: 'ASC' | 'DESC';
  /** The id's kind, which the cursor must carry: `uuid` (default) or `bigint` (identity columns). */
  idKind?: CursorIdKind;
  /** Where a fetched row keeps its position, when not in `createdAt` and `id`. */
  position?: (row: R) => CursorPosition;
  /** `raw`: the query selects its own columns (hand-written SQL), fetched as raw rows. */
  rows?: 'entities' | 'raw';
}

/**
 * The one keyset pager of every list (api-conventions.md). Give it the query with its filters,
 * the sort key, the `?cursor=` and `?limit=` (default 50): it refuses a cursor it did not write (400 naming
 * `cursor`, before any SQL), seeks past the cursor, orders, fetches `limit + 1` rows and answers
 * `{items, nextCursor}` with the rows as fetched (map them with mapPage): entities, or raw rows
 * when the sort key says `rows: 'raw'`.
 *
 *   const page = await keysetPage(qb, { columns: ['d.created_at', 'd.id'], order: 'DESC' }, q.cursor, q.limit);
 */
export async function keysetPage<R extends ObjectLiteral>(
  qb: SelectQueryBuilder<R>,
  key: SortKey<R>,
  cursor: string | undefined,
  limit = DEFAULT_PAGE_LIMIT,
): Promise<Page<R>> {
  const after = decodeCursor(cursor, key.idKind);
  const [at, id] = key.columns;
  const order = key.order ?? 'ASC';
  if (after) {
    qb.andWhere(`(${at}, ${id}) ${order === 'ASC' ? '>' : '<'} (:keysetAt, :keysetId)`, {
      keysetAt: after.createdAt,
      keysetId: after.id,
    });
  }
  qb.orderBy(at, order)
    .addOrderBy(id, order)
    .limit(limit + 1);
  const rows: R[] = key.rows === 'raw' ? await qb.getRawMany() : await qb.getMany();
  return pageOf(rows, limit, key.position ?? ((row) => row as unknown as CursorPosition));
}
