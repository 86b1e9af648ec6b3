import { Inject, Injectable } from '@nestjs/common';
import {
  CloudAccountEntity,
  CloudOrphanEntity,
  EnvironmentEntity,
  type CloudProviderName,
} from '@switchyard/core';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor } from '../common/pagination.js';
import type { TenantScope } from '../auth/tenant-scope.util.js';

/** Cloud accounts in Postgres; every query is scoped to a tenant (or, for admins, all). */
@Injectable()
export class CloudAccountsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async list(
    scope: TenantScope,
    query: { limit: number; cursor?: string; provider?: CloudProviderName },
  ): Promise<CloudAccountEntity[]> {
    const after = decodeCursor(query.cursor);
    const qb = this.db.getRepository(CloudAccountEntity).createQueryBuilder('a');
    if (!scope.anyTenant) qb.andWhere('a.tenant_id = :tid', { tid: scope.tenantId });
    if (query.provider) qb.andWhere('a.provider = :provider', { provider: query.provider });
    if (after) qb.andWhere('(a.created_at, a.id) > (:at, :cid)', { at: after.createdAt, cid: after.id });
    return qb
      .orderBy('a.created_at')
      .addOrderBy('a.id')
      .limit(query.limit + 1)
      .getMany();
  }

  /** The account if the scope may see it; `lock` for a read-modify-write in `em`. */
  async find(
    scope: TenantScope,
    id: string,
    em: EntityManager = this.db.manager,
    lock = false,
  ): Promise<CloudAccountEntity | null> {
    const account = await em.findOne(CloudAccountEntity, {
      where: scope.anyTenant ? { id } : { id, tenantId: scope.tenantId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    return account;
  }

  async findByName(em: EntityManager, tenantId: string, name: string): Promise<CloudAccountEntity | null> {
    return em.findOneBy(CloudAccountEntity, { tenantId, name });
  }

  /** Names of the environments that use the account (in its own tenant, where they must be). */
  async environmentsUsing(em: EntityManager, tenantId: string, accountId: string): Promise<string[]> {
    const rows = await em.find(EnvironmentEntity, {
      where: { tenantId, accountId },
      order: { name: 'ASC' },
      select: { name: true },
    });
    return rows.map((r) => r.name);
  }

  /** Orphans of an account (already scoped by the caller), first seen first, by cursor. */
  async orphans(
    accountId: string,
    query: { limit: number; cursor?: string; all?: boolean },
  ): Promise<CloudOrphanEntity[]> {
    const after = decodeCursor(query.cursor);
    const qb = this.db
      .getRepository(CloudOrphanEntity)
      .createQueryBuilder('o')
      .where('o.account_id = :accountId', { accountId });
    if (!query.all) qb.andWhere('o.removed_at IS NULL');
    if (after) qb.andWhere('(o.first_seen_at, o.id) > (:at, :oid)', { at: after.createdAt, oid: after.id });
    return qb
      .orderBy('o.first_seen_at')
      .addOrderBy('o.id')
      .limit(query.limit + 1)
      .getMany();
  }
}
