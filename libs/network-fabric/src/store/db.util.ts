import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '@switchyard/core/database';
import { FabricError } from '../errors/fabric.exception.js';

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

/**
 * inTransaction for fabric changes: two racing creates of one object (or address) both pass the
 * checks and the loser hits the unique key, which is a conflict the client may retry.
 */
export async function fabricTransaction<T>(
  ds: DataSource,
  em: Db | undefined,
  work: (db: Db) => Promise<T>,
): Promise<T> {
  try {
    return await inTransaction(ds, em, work);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw FabricError.conflict('a concurrent change created the same object or address; retry the request');
    }
    throw error;
  }
}
