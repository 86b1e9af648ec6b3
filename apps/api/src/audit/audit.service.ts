import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@switchyard/core/database';
import type { AuditLogEntity } from '@switchyard/core/database';
import type { EntityManager } from 'typeorm';
import { mapPage, type Page } from '../common/pagination.js';
import { AuditRepository, targetKey, type AuditFilter } from './audit.repository.js';

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
  /** The target's name now, else the one it had in the entry; null when neither is known. */
  resourceName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  createdAt: string;
}

/** Every mutation leaves a row here, written in the mutation's own transaction. */
@Injectable()
export class AuditService {
  constructor(@Inject(AuditRepository) private readonly repo: AuditRepository) {}

  async record(em: EntityManager, actor: AuditActor | 'system', entry: AuditEntry): Promise<void> {
    await this.repo.insert(em, toRow(actor, entry));
  }

  /** A record with no transaction to join (a refusal: nothing else is written). */
  async recordNow(actor: AuditActor | 'system', entry: AuditEntry): Promise<void> {
    await this.repo.insert(undefined, toRow(actor, entry));
  }

  async list(
    scope: TenantScope,
    query: AuditFilter & { limit?: number; cursor?: string },
  ): Promise<Page<AuditRecord>> {
    const page = await this.repo.list(scope, query, query.cursor, query.limit);
    const names = await this.repo.targetNames(page.items);
    return mapPage(page, (row) => toAuditRecord(row, names.get(targetKey(row)) ?? nameIn(row)));
  }
}

function toRow(actor: AuditActor | 'system', entry: AuditEntry) {
  const who =
    actor === 'system'
      ? { actorUserId: null, actorTokenId: null, actorName: 'system', requestId: null }
      : {
          actorUserId: actor.userId,
          actorTokenId: actor.tokenId,
          actorName: actor.userName,
          requestId: actor.requestId ?? null,
        };
  return {
    ...who,
    tenantId: entry.tenantId,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    before: (entry.before ?? null) as Record<string, unknown> | null,
    after: (entry.after ?? null) as Record<string, unknown> | null,
  };
}

// a target that is gone (a deleted user, a revoked token) is named by what the entry kept of it
function nameIn(r: AuditLogEntity): string | null {
  for (const side of [r.after, r.before]) {
    if (typeof side?.name === 'string') return side.name;
  }
  return null;
}

function toAuditRecord(r: AuditLogEntity, resourceName: string | null): AuditRecord {
  return {
    id: r.id,
    tenantId: r.tenantId,
    actor: { userId: r.actorUserId, tokenId: r.actorTokenId, name: r.actorName },
    action: r.action,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    resourceName,
    before: r.before,
    after: r.after,
    requestId: r.requestId,
    createdAt: r.createdAt.toISOString(),
  };
}
