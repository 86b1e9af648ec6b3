import { Inject, Injectable } from '@nestjs/common';
import { ApiTokenEntity, ROLES, type Role, type TenantScope } from '@switchyard/core/database';
import { DataSource, type EntityManager } from 'typeorm';
import { hasRole } from '../auth/principal.js';
import { keysetPage } from '../common/keyset-page.util.js';
import type { Page } from '../common/pagination.js';

export type NewToken = Pick<
  ApiTokenEntity,
  'tenantId' | 'userId' | 'name' | 'role' | 'kind' | 'tokenHash' | 'hint' | 'expiresAt'
> &
  Partial<Pick<ApiTokenEntity, 'delegated'>>;

/** API tokens and sign-in sessions in Postgres (only their hashes). */
@Injectable()
export class TokensRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  insert(em: EntityManager, fields: NewToken): Promise<ApiTokenEntity> {
    return em.save(em.create(ApiTokenEntity, fields));
  }

  save(em: EntityManager, token: ApiTokenEntity): Promise<ApiTokenEntity> {
    return em.save(token);
  }

  /** The scope's tokens; only those of `userId` when given. */
  list(
    scope: TenantScope,
    filter: { userId?: string },
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<ApiTokenEntity>> {
    const qb = this.db.getRepository(ApiTokenEntity).createQueryBuilder('t');
    if (!scope.anyTenant) qb.andWhere('t.tenant_id = :tid', { tid: scope.tenantId });
    if (filter.userId) qb.andWhere('t.user_id = :uid', { uid: filter.userId });
    return keysetPage(qb, { columns: ['t.created_at', 't.id'] }, cursor, limit);
  }

  /** The token if the scope reaches it; `lock` for a read-modify-write in `em`. */
  find(
    scope: TenantScope,
    id: string,
    em: EntityManager = this.db.manager,
    lock = false,
  ): Promise<ApiTokenEntity | null> {
    return em.findOne(ApiTokenEntity, {
      where: scope.anyTenant ? { id } : { id, tenantId: scope.tenantId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** The token of this hash, if the scope reaches it (hashes are unique everywhere). */
  findByHash(scope: TenantScope, tokenHash: string, em: EntityManager = this.db.manager) {
    return em.findOneBy(
      ApiTokenEntity,
      scope.anyTenant ? { tokenHash } : { tokenHash, tenantId: scope.tenantId },
    );
  }

  /** A token never carries more than its owner's role: the user's live ones above `role` get it. */
  async lowerRole(em: EntityManager, userId: string, role: Role): Promise<number> {
    const above = ROLES.filter((r) => !hasRole(role, r));
    const result = await em
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ role })
      .where('user_id = :userId AND revoked_at IS NULL AND role IN (:...above)', { userId, above })
      .execute();
    return result.affected ?? 0;
  }

  /** Revokes the user's live sign-in sessions (not its API tokens), but `keep`; how many. */
  async revokeSessions(em: EntityManager, userId: string, keep?: string): Promise<number> {
    const update = em
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ revokedAt: () => `date_trunc('milliseconds', now())` })
      .where(`user_id = :userId AND kind = 'session' AND revoked_at IS NULL`, { userId });
    if (keep) update.andWhere('id <> :keep', { keep });
    return (await update.execute()).affected ?? 0;
  }
}
