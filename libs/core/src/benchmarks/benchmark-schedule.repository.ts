import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { TenantScope } from '../database/tenant-scope.js';
import { BenchmarkEntity, BenchmarkScheduleEntity } from './benchmark.entities.js';

export type NewSchedule = Omit<BenchmarkScheduleEntity, 'createdAt'>;

/** Benchmark schedules: the API creates, lists and deletes them; the worker claims the due ones. */
@Injectable()
export class BenchmarkScheduleRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insert(em: EntityManager, schedule: NewSchedule): Promise<void> {
    await em.insert(BenchmarkScheduleEntity, schedule as never);
  }

  find(scope: TenantScope, id: string): Promise<BenchmarkScheduleEntity | null> {
    return this.db.manager.findOneBy(
      BenchmarkScheduleEntity,
      scope.anyTenant ? { id } : { id, tenantId: scope.tenantId },
    );
  }

  async delete(em: EntityManager, id: string): Promise<boolean> {
    const result = await em.delete(BenchmarkScheduleEntity, { id });
    return (result.affected ?? 0) > 0;
  }

  /** The scope's schedules, paged by the caller. */
  list<P>(
    scope: TenantScope,
    page: (qb: SelectQueryBuilder<BenchmarkScheduleEntity>) => Promise<P>,
  ): Promise<P> {
    const qb = this.db.getRepository(BenchmarkScheduleEntity).createQueryBuilder('s');
    if (!scope.anyTenant) qb.andWhere('s.tenant_id = :tid', { tid: scope.tenantId });
    return page(qb);
  }

  /** The benchmarks the schedules made (id, schedule, blueprint), oldest first. */
  made(scheduleIds: string[]): Promise<BenchmarkEntity[]> {
    if (scheduleIds.length === 0) return Promise.resolve([]);
    return this.db.manager.find(BenchmarkEntity, {
      where: { scheduleId: In(scheduleIds) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * The schedules due now, locked in `em`'s transaction; one another worker already holds is
   * skipped, so each repeat starts once.
   */
  claimDue(em: EntityManager, limit: number): Promise<BenchmarkScheduleEntity[]> {
    return em
      .getRepository(BenchmarkScheduleEntity)
      .createQueryBuilder('s')
      .where('s.next_run_at <= now()')
      .orderBy('s.next_run_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async advance(em: EntityManager, id: string, nextRunAt: Date): Promise<void> {
    await em.update(BenchmarkScheduleEntity, { id }, { nextRunAt });
  }
}
