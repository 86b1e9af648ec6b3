import type { DataSource, EntityManager } from 'typeorm';

/** A connection inside a transaction; every fabric query runs through one. */
export type Db = EntityManager;

/** Rows of a SELECT (or of a data-modifying CTE wrapped in a SELECT, which TypeORM answers alike). */
export async function select<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)) as T[];
}

export async function selectOne<T>(db: Db, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await select<T>(db, sql, params))[0];
}

/** Runs `work` in the caller's transaction when given one, else in a new transaction. */
export async function inTransaction<T>(
  ds: DataSource,
  em: Db | undefined,
  work: (db: Db) => Promise<T>,
): Promise<T> {
  return em ? work(em) : ds.transaction((db) => work(db));
}
