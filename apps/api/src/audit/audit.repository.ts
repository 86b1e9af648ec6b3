import { Inject, Injectable } from '@nestjs/common';
import { AuditLogEntity, type TenantScope } from '@switchyard/core/database';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage } from '../common/keyset-page.util.js';
import type { Page } from '../common/pagination.js';

/** A row of the audit log as it is written (the log assigns id and time). */
export type NewAuditRow = Omit<AuditLogEntity, 'id' | 'createdAt'>;

/** What an entry is about: its type and id, in the entry's own tenant. */
export interface AuditTarget {
  tenantId: string;
  resourceType: string;
  resourceId: string;
}

// The name of each kind of resource the log names by id, looked up in the entry's own tenant only.
const NAMED_BY_ID = `
  SELECT name FROM deployments WHERE t.type = 'deployment' AND id::text = t.id AND tenant_id = t.tenant
  UNION ALL SELECT name FROM users WHERE t.type = 'user' AND id::text = t.id AND tenant_id = t.tenant
  UNION ALL SELECT name FROM api_tokens WHERE t.type = 'api-token' AND id::text = t.id AND tenant_id = t.tenant
  UNION ALL SELECT name FROM cloud_accounts
    WHERE t.type = 'cloud-account' AND id::text = t.id AND tenant_id = t.tenant
  UNION ALL SELECT name FROM environments WHERE t.type = 'environment' AND id::text = t.id AND tenant_id = t.tenant
  UNION ALL SELECT COALESCE(NULLIF(display_name, ''), name) FROM tenants
    WHERE t.type = 'tenant' AND id::text = t.id AND id = t.tenant`;

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

  /** The current names of the entries' targets, keyed by `targetKey`; gone ones are left out. */
  async targetNames(targets: AuditTarget[]): Promise<Map<string, string>> {
    if (targets.length === 0) return new Map();
    const rows: { type: string; id: string; tenant: string; name: string }[] = await this.db.query(
      `SELECT t.type, t.id, t.tenant::text AS tenant, n.name
         FROM unnest($1::text[], $2::text[], $3::uuid[]) AS t(type, id, tenant)
         CROSS JOIN LATERAL (${NAMED_BY_ID} LIMIT 1) AS n`,
      [targets.map((t) => t.resourceType), targets.map((t) => t.resourceId), targets.map((t) => t.tenantId)],
    );
    return new Map(
      rows.map((r) => [targetKey({ tenantId: r.tenant, resourceType: r.type, resourceId: r.id }), r.name]),
    );
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

export function targetKey(t: AuditTarget): string {
  return `${t.tenantId}/${t.resourceType}/${t.resourceId}`;
}
