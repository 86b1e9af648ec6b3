import { Inject, Injectable } from '@nestjs/common';
import { BenchmarkFlow, BenchmarkRepository, type BenchmarkEntity } from '@switchyard/core/benchmarks';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { keysetPage, type SortKey } from '../common/keyset-page.util.js';
import type { BenchmarkDto, BenchmarkHistoryDto, BenchmarkPageDto } from './benchmark-responses.dto.js';
import { toBenchmark } from './benchmark-view.util.js';
import type { BenchmarkHistoryQuery, BenchmarkListQuery } from './benchmarks.dto.js';

const NEWEST_FIRST: SortKey<BenchmarkEntity> = { columns: ['b.created_at', 'b.id'], order: 'DESC' };
const HISTORY_LIMIT = 200;

/** Reading, listing and cancelling benchmarks, in the caller's tenant (admins: every tenant). */
@Injectable()
export class BenchmarksService {
  constructor(
    @Inject(BenchmarkRepository) private readonly benchmarks: BenchmarkRepository,
    @Inject(BenchmarkFlow) private readonly flow: BenchmarkFlow,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async get(caller: Principal, id: string): Promise<BenchmarkDto> {
    const scope = tenantScope(caller);
    const b = await this.benchmarks.find(scope, id);
    if (!b) throw AppException.notFound(`benchmark ${id}`);
    const candidates = await this.benchmarks.candidates(scope, b.id);
    const runs = await this.benchmarks.runs(
      scope,
      candidates.map((c) => c.id),
    );
    return toBenchmark(b, candidates, runs);
  }

  list(caller: Principal, query: BenchmarkListQuery): Promise<BenchmarkPageDto> {
    const scope = tenantScope(caller);
    const filter = { blueprint: query.blueprint, environment: query.environment };
    return this.benchmarks.list(scope, filter, async (qb) => {
      const page = await keysetPage(qb, NEWEST_FIRST, query.cursor, query.limit);
      const candidates = await this.benchmarks.candidatesOf(
        scope,
        page.items.map((b) => b.id),
      );
      const runs = await this.benchmarks.runs(
        scope,
        candidates.map((c) => c.id),
      );
      return {
        items: page.items.map((b) =>
          toBenchmark(
            b,
            candidates.filter((c) => c.benchmarkId === b.id),
            runs,
          ),
        ),
        nextCursor: page.nextCursor,
      };
    });
  }

  /** Measured candidates of a blueprint over time (per environment when asked), oldest first. */
  async history(caller: Principal, query: BenchmarkHistoryQuery): Promise<BenchmarkHistoryDto> {
    const scope = tenantScope(caller);
    const filter = { blueprint: query.blueprint, environment: query.environment, state: 'completed' };
    const items = await this.benchmarks.list(scope, filter, async (qb) => {
      const rows = await qb.orderBy('b.created_at', 'DESC').limit(HISTORY_LIMIT).getMany();
      const candidates = await this.benchmarks.candidatesOf(
        scope,
        rows.map((b) => b.id),
      );
      return rows.reverse().flatMap((b) =>
        candidates
          .filter((c) => c.benchmarkId === b.id && c.result)
          .filter((c) => !query.environment || c.environments.includes(query.environment))
          .map((c) => ({
            benchmarkId: b.id,
            at: (b.endedAt ?? b.createdAt).toISOString(),
            label: c.label,
            environments: c.environments,
            throughput: c.result!.throughput,
            hourly: { amount: c.hourlyCost, currency: c.currency },
            perDollarHour: c.result!.perDollarHour,
          })),
      );
    });
    return { items };
  }

  /** Cancels: the candidates' deployments are torn down; 409 once the benchmark has ended. */
  async cancel(caller: Principal, id: string): Promise<BenchmarkDto> {
    const scope = tenantScope(caller);
    const b = await this.benchmarks.find(scope, id);
    if (!b) throw AppException.notFound(`benchmark ${id}`);
    const mayAct =
      caller.role === 'admin' ||
      (b.tenantId === caller.tenantId && (caller.role === 'operator' || b.requestedBy === caller.userId));
    if (!mayAct)
      throw new AppException(
        ErrorCode.Forbidden,
        'Only who started a benchmark, or an operator, may cancel it',
      );
    const answer = await this.benchmarks.transaction(async (em) => {
      const result = await this.flow.cancel(em, scope, id);
      if (result.outcome === 'accepted') {
        await this.audit.record(em, caller, {
          tenantId: b.tenantId,
          action: 'benchmark.cancel',
          resourceType: 'benchmark',
          resourceId: id,
        });
      }
      return result;
    });
    if (answer.outcome === 'not-found') throw AppException.notFound(`benchmark ${id}`);
    if (answer.outcome === 'not-running') {
      throw AppException.conflict(
        `benchmark ${id} is ${answer.state}: only a running benchmark can be cancelled`,
      );
    }
    return this.get(caller, id);
  }
}
