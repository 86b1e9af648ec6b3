import { Inject, Injectable } from '@nestjs/common';
import { AuditLogEntity } from '@switchyard/core';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';

export interface AuditEntry {
  tenantId: string;
  action: string;
  resourceType: string;
  resourceId: string;
  before?: object | null;
  after?: object | null;
}

/**
 * Who acted: an authenticated caller (a Principal is one), or someone who is not signed in yet
 * (a sign-in attempt: no token, maybe no known user).
 */
export interface AuditActor {
  userId: string | null;
  tokenId: string | null;
  userName: string;
  requestId?: string;
}

export interface AuditRecord {
  id: string;
  tenantId: string;
  actor: { userId: string | null; tokenId: string | null; name: string };
  action: string;
  resourceType: string;
  resourceId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  createdAt: string;
}

/** Every mutation leaves a row here, written in the mutation's own transaction. */
@Injectable()
export class AuditService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async record(em: EntityManager, actor: AuditActor | 'system', entry: AuditEntry): Promise<void> {
    const who =
      actor === 'system'
        ? { actorUserId: null, actorTokenId: null, actorName: 'system', requestId: null }
        : {
            actorUserId: actor.userId,
            actorTokenId: actor.tokenId,
            actorName: actor.userName,
            requestId: actor.requestId ?? null,
          };
    await em.insert(AuditLogEntity, {
      ...who,
      tenantId: entry.tenantId,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      before: (entry.before ?? null) as never,
      after: (entry.after ?? null) as never,
    });
  }

  async list(
    tenantIds: string[] | 'all',
    query: { limit?: number; cursor?: string; resourceType?: string; resourceId?: string },
  ): Promise<Page<AuditRecord>> {
    const limit = query.limit ?? 50;
    // audit entries have identity (bigint) ids
    const after = decodeCursor(query.cursor, 'bigint');
    const qb = this.db.getRepository(AuditLogEntity).createQueryBuilder('a');
    if (tenantIds !== 'all') qb.andWhere('a.tenant_id IN (:...tenantIds)', { tenantIds });
    if (query.resourceType) qb.andWhere('a.resource_type = :rt', { rt: query.resourceType });
    if (query.resourceId) qb.andWhere('a.resource_id = :rid', { rid: query.resourceId });
    // the audit log is read newest first; the cursor walks backwards
    if (after) qb.andWhere('(a.created_at, a.id) < (:at, :id)', { at: after.createdAt, id: after.id });
    const rows = await qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (r) => ({
      id: r.id,
      tenantId: r.tenantId,
      actor: { userId: r.actorUserId, tokenId: r.actorTokenId, name: r.actorName },
      action: r.action,
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      before: r.before,
      after: r.after,
      requestId: r.requestId,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
