import { Inject, Injectable } from '@nestjs/common';
import { inScope, TenantEntity, type TenantScope } from '@switchyard/core/database';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage } from '../common/keyset-page.util.js';
import type { Page } from '../common/pagination.js';

/** Tenants in Postgres: a scope sees its own tenant, or every tenant. */
@Injectable()
export class TenantsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  insert(em: EntityManager, fields: { name: string; displayName: string }): Promise<TenantEntity> {
    return em.save(em.create(TenantEntity, fields));
  }

  list(
    scope: TenantScope,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<TenantEntity>> {
    const qb = this.db.getRepository(TenantEntity).createQueryBuilder('t');
    if (!scope.anyTenant) qb.andWhere('t.id = :id', { id: scope.tenantId });
    return keysetPage(qb, { columns: ['t.created_at', 't.id'] }, cursor, limit);
  }

  findByName(
    scope: TenantScope,
    name: string,
    em: EntityManager = this.db.manager,
  ): Promise<TenantEntity | null> {
    return em.findOneBy(TenantEntity, scope.anyTenant ? { name } : { name, id: scope.tenantId });
  }

  async findById(
    scope: TenantScope,
    id: string,
    em: EntityManager = this.db.manager,
  ): Promise<TenantEntity | null> {
    return inScope(scope, id) ? em.findOneBy(TenantEntity, { id }) : null;
  }
}
