import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Transactions for services, which never hold the DataSource themselves: the work gets the
 * transaction's EntityManager to hand to repositories, and it commits when the work resolves.
 */
@Injectable()
export class UnitOfWork {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The same, one at a time across every process: a transaction-level advisory lock on `lock`. */
  runLocked<T>(lock: number, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [lock]);
      return work(em);
    });
  }
}
