import { Inject, Injectable } from '@nestjs/common';
import { BenchmarkScheduleRepository, type BenchmarkScheduleEntity } from '@switchyard/core/benchmarks';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { keysetPage, type SortKey } from '../common/keyset-page.util.js';
import { PageQuery } from '../common/pagination.js';
import type { BenchmarkScheduleDto, BenchmarkSchedulePageDto } from './benchmark-responses.dto.js';

const OLDEST_FIRST: SortKey<BenchmarkScheduleEntity> = { columns: ['s.created_at', 's.id'] };

/** Benchmark schedules of the caller's tenant (admins: every tenant): listed and deleted here. */
@Injectable()
export class BenchmarkSchedulesService {
  constructor(
    @Inject(BenchmarkScheduleRepository) private readonly schedules: BenchmarkScheduleRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  list(caller: Principal, query: PageQuery): Promise<BenchmarkSchedulePageDto> {
    return this.schedules.list(tenantScope(caller), async (qb) => {
      const page = await keysetPage(qb, OLDEST_FIRST, query.cursor, query.limit);
      return { items: await this.view(page.items), nextCursor: page.nextCursor };
    });
  }

  async get(caller: Principal, id: string): Promise<BenchmarkScheduleDto> {
    const s = await this.schedules.find(tenantScope(caller), id);
    if (!s) throw AppException.notFound(`benchmark schedule ${id}`);
    return (await this.view([s]))[0]!;
  }

  /** Stops the repeats; the benchmarks it made stay. Who created it, or an operator, may. */
  async delete(caller: Principal, id: string): Promise<void> {
    const s = await this.schedules.find(tenantScope(caller), id);
    if (!s) throw AppException.notFound(`benchmark schedule ${id}`);
    const mayAct =
      caller.role === 'admin' ||
      (s.tenantId === caller.tenantId && (caller.role === 'operator' || s.requestedBy === caller.userId));
    if (!mayAct)
      throw new AppException(
        ErrorCode.Forbidden,
        'Only who created a benchmark schedule, or an operator, may delete it',
      );
    await this.schedules.transaction(async (em) => {
      if (!(await this.schedules.delete(em, id))) return;
      await this.audit.record(em, caller, {
        tenantId: s.tenantId,
        action: 'benchmark-schedule.delete',
        resourceType: 'benchmark-schedule',
        resourceId: id,
        before: { everyHours: s.everyHours, templateBenchmarkId: s.templateBenchmarkId },
      });
    });
  }

  private async view(rows: BenchmarkScheduleEntity[]): Promise<BenchmarkScheduleDto[]> {
    const made = await this.schedules.made(rows.map((s) => s.id));
    return rows.map((s) => {
      const mine = made.filter((b) => b.scheduleId === s.id);
      const first = mine.find((b) => b.id === s.templateBenchmarkId) ?? mine[0];
      return {
        id: s.id,
        blueprint: first ? `${first.blueprintName}@${first.blueprintVersion}` : '',
        everyHours: s.everyHours,
        nextRunAt: s.nextRunAt.toISOString(),
        benchmarks: mine.map((b) => b.id),
        createdAt: s.createdAt.toISOString(),
      };
    });
  }
}
