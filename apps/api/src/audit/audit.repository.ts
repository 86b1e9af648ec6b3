import { Inject, Injectable } from '@nestjs/common';
import { AuditLogEntity, type TenantScope } from '@switchyard/core';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage } from '../common/keyset-page.util.js';
import type { Page } from '../common/pagination.js';

/** A row of the audit log as it is written (the log assigns id and time). */
export type NewAuditRow = Omit<AuditLogEntity, 'id' | 'createdAt'>;

export interface AuditFilter {
  resourceType?: string;
  resourceId?: string;
}

/** The audit log in Postgres: written inside the mutation's transaction, read by scope. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** In `em`'s transaction, or on its own when there is none. */
  async insert(em: EntityManager | undefined, row: NewAuditRow): Promise<void> {
    await (em ?? this.db.manager).insert(AuditLogEntity, row as never);
  }

  /** Newest first; audit entries have identity (bigint) ids, and so do their cursors. */
  list(
    scope: TenantScope,
    filter: AuditFilter,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<AuditLogEntity>> {
    const qb = this.db.getRepository(AuditLogEntity).createQueryBuilder('a');
    if (!scope.anyTenant) qb.andWhere('a.tenant_id = :tid', { tid: scope.tenantId });
    if (filter.resourceType) qb.andWhere('a.resource_type = :rt', { rt: filter.resourceType });
    if (filter.resourceId) qb.andWhere('a.resource_id = :rid', { rid: filter.resourceId });
    return keysetPage(
      qb,
      { columns: ['a.created_at', 'a.id'], order: 'DESC', idKind: 'bigint' },
      cursor,
      limit,
    );
  }
}
