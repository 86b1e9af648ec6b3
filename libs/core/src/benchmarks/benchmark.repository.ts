import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { TenantScope } from '../database/tenant-scope.js';
import { BenchmarkCandidateEntity, BenchmarkEntity, BenchmarkRunEntity } from './benchmark.entities.js';
import type { RunFigures } from './benchmark.types.js';

export type BenchmarkChange = Partial<Omit<BenchmarkEntity, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>>;
export type CandidateChange = Partial<Omit<BenchmarkCandidateEntity, 'id' | 'benchmarkId' | 'tenantId'>>;

/** The list's filters (`GET /benchmarks`). */
export interface BenchmarkFilter {
  blueprint?: string;
  /** Only benchmarks with a candidate on this environment. */
  environment?: string;
  state?: string;
}

/**
 * Benchmarks, their candidates and runs in Postgres. Reads take the caller's scope; the worker's
 * writes go through the flow in its job's transaction (`em`).
 */
@Injectable()
export class BenchmarkRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  find(scope: TenantScope, id: string): Promise<BenchmarkEntity | null> {
    return this.db.manager.findOneBy(BenchmarkEntity, byId(scope, id));
  }

  lock(em: EntityManager, scope: TenantScope, id: string): Promise<BenchmarkEntity | null> {
    return em.findOne(BenchmarkEntity, { where: byId(scope, id), lock: { mode: 'pessimistic_write' } });
  }

  /** The benchmark's candidates in position order. */
  candidates(scope: TenantScope, benchmarkId: string, em: EntityManager = this.db.manager) {
    return em.find(BenchmarkCandidateEntity, {
      where: scope.anyTenant ? { benchmarkId } : { benchmarkId, tenantId: scope.tenantId },
      order: { position: 'ASC' },
    });
  }

  candidatesOf(scope: TenantScope, benchmarkIds: string[]): Promise<BenchmarkCandidateEntity[]> {
    if (benchmarkIds.length === 0) return Promise.resolve([]);
    const where = { benchmarkId: In(benchmarkIds) };
    return this.db.manager.find(BenchmarkCandidateEntity, {
      where: scope.anyTenant ? where : { ...where, tenantId: scope.tenantId },
      order: { position: 'ASC' },
    });
  }

  findCandidate(scope: TenantScope, id: string): Promise<BenchmarkCandidateEntity | null> {
    return this.db.manager.findOneBy(BenchmarkCandidateEntity, byId(scope, id));
  }

  lockCandidate(em: EntityManager, scope: TenantScope, id: string): Promise<BenchmarkCandidateEntity | null> {
    return em.findOne(BenchmarkCandidateEntity, {
      where: byId(scope, id),
      lock: { mode: 'pessimistic_write' },
    });
  }

  async insert(
    em: EntityManager,
    benchmark: Omit<BenchmarkEntity, 'createdAt' | 'updatedAt'>,
    candidates: BenchmarkCandidateEntity[],
  ): Promise<BenchmarkEntity> {
    const saved = await em.save(em.create(BenchmarkEntity, benchmark));
    await em.insert(BenchmarkCandidateEntity, candidates as never[]);
    return saved;
  }

  async update(em: EntityManager, scope: TenantScope, id: string, change: BenchmarkChange): Promise<void> {
    await em.update(BenchmarkEntity, byId(scope, id), change as never);
  }

  async updateCandidate(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    change: CandidateChange,
  ): Promise<void> {
    await em.update(BenchmarkCandidateEntity, byId(scope, id), change as never);
  }

  /** Stores a run once (a redelivered job finds it there). */
  async addRun(em: EntityManager, candidateId: string, figures: RunFigures): Promise<void> {
    await em
      .createQueryBuilder()
      .insert()
      .into(BenchmarkRunEntity)
      .values({ candidateId, run: figures.run, figures: figures as never })
      .orIgnore()
      .execute();
  }

  /** Runs of the candidates (in the scope's benchmarks), in run order. */
  runs(scope: TenantScope, candidateIds: string[], em: EntityManager = this.db.manager) {
    if (candidateIds.length === 0) return Promise.resolve([] as BenchmarkRunEntity[]);
    const qb = em
      .getRepository(BenchmarkRunEntity)
      .createQueryBuilder('r')
      .where('r.candidate_id IN (:...ids)', { ids: candidateIds });
    if (!scope.anyTenant) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM benchmark_candidates c WHERE c.id = r.candidate_id AND c.tenant_id = :tid)',
        { tid: scope.tenantId },
      );
    }
    return qb.orderBy('r.candidate_id').addOrderBy('r.run').getMany();
  }

  /** Benchmarks matching `filter`, paged by the caller (the API's one pager). */
  list<P>(
    scope: TenantScope,
    filter: BenchmarkFilter,
    page: (query: SelectQueryBuilder<BenchmarkEntity>) => Promise<P>,
  ): Promise<P> {
    const qb = this.db.getRepository(BenchmarkEntity).createQueryBuilder('b');
    if (!scope.anyTenant) qb.andWhere('b.tenant_id = :tid', { tid: scope.tenantId });
    if (filter.blueprint) qb.andWhere('b.blueprint_name = :bp', { bp: filter.blueprint });
    if (filter.state) qb.andWhere('b.state = :state', { state: filter.state });
    if (filter.environment) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM benchmark_candidates c WHERE c.benchmark_id = b.id AND :env = ANY(c.environments))',
        { env: filter.environment },
      );
    }
    return page(qb);
  }

  /**
   * The newest measured result per single-environment candidate (every tier on one environment;
   * one per environment and instance types) of the blueprint, for the environments given: what
   * placement strategies choose from.
   */
  async latestMeasured(
    scope: TenantScope,
    blueprintName: string,
    environments: string[],
  ): Promise<(BenchmarkCandidateEntity & { measuredAt: Date })[]> {
    if (environments.length === 0) return [];
    const rows = await this.db
      .getRepository(BenchmarkCandidateEntity)
      .createQueryBuilder('c')
      .innerJoin(BenchmarkEntity, 'b', 'b.id = c.benchmark_id')
      .addSelect('b.ended_at', 'measured_at')
      .where('c.tenant_id = :tid', { tid: scope.tenantId })
      .andWhere('b.blueprint_name = :bp', { bp: blueprintName })
      .andWhere(`c.state = 'measured'`)
      .andWhere('cardinality(c.environments) = 1')
      .andWhere('c.environments[1] IN (:...envs)', { envs: environments })
      .orderBy('b.ended_at', 'DESC')
      .getRawAndEntities();
    const seen = new Set<string>();
    const latest: (BenchmarkCandidateEntity & { measuredAt: Date })[] = [];
    rows.entities.forEach((c, i) => {
      const key = `${c.environments[0]!} ${JSON.stringify(Object.entries(c.instanceTypes).sort())}`;
      if (seen.has(key)) return;
      seen.add(key);
      latest.push({ ...c, measuredAt: (rows.raw[i] as { measured_at: Date }).measured_at });
    });
    return latest;
  }
}

function byId(scope: TenantScope, id: string) {
  return scope.anyTenant ? { id } : { id, tenantId: scope.tenantId };
}
