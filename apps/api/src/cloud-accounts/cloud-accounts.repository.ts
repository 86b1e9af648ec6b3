import { Inject, Injectable } from '@nestjs/common';
import {
  CloudAccountEntity,
  CloudOrphanEntity,
  EnvironmentEntity,
  type CloudProviderName,
  type TenantScope,
} from '@switchyard/core/database';
import { DataSource, type EntityManager } from 'typeorm';
import { keysetPage } from '../common/keyset-page.util.js';
import type { Page } from '../common/pagination.js';

/** Cloud accounts in Postgres; every query is scoped to a tenant (or, for admins, all). */
@Injectable()
export class CloudAccountsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  list(
    scope: TenantScope,
    filter: { provider?: CloudProviderName },
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<CloudAccountEntity>> {
    const qb = this.db.getRepository(CloudAccountEntity).createQueryBuilder('a');
    if (!scope.anyTenant) qb.andWhere('a.tenant_id = :tid', { tid: scope.tenantId });
    if (filter.provider) qb.andWhere('a.provider = :provider', { provider: filter.provider });
    return keysetPage(qb, { columns: ['a.created_at', 'a.id'] }, cursor, limit);
  }

  /** The account if the scope may see it; `lock` for a read-modify-write in `em`. */
  find(
    scope: TenantScope,
    id: string,
    em: EntityManager = this.db.manager,
    lock = false,
  ): Promise<CloudAccountEntity | null> {
    return em.findOne(CloudAccountEntity, {
      where: scope.anyTenant ? { id } : { id, tenantId: scope.tenantId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** An account of the scope's own tenant by name (names are unique in a tenant). */
  findByName(scope: TenantScope, name: string, em: EntityManager): Promise<CloudAccountEntity | null> {
    return em.findOneBy(CloudAccountEntity, { tenantId: scope.tenantId, name });
  }

  /** A new account or a changed one; a name taken in the tenant is a unique violation. */
  save(em: EntityManager, account: CloudAccountEntity): Promise<CloudAccountEntity> {
    return em.save(account);
  }

  create(em: EntityManager, fields: Partial<CloudAccountEntity>): CloudAccountEntity {
    return em.create(CloudAccountEntity, fields);
  }

  /** Deletes the account; a foreign-key violation while an environment still uses it. */
  async delete(em: EntityManager, account: Pick<CloudAccountEntity, 'id' | 'tenantId'>): Promise<void> {
    await em.delete(CloudAccountEntity, { id: account.id, tenantId: account.tenantId });
  }

  /** Names of the environments that use the account (in its own tenant, where they must be). */
  async environmentsUsing(em: EntityManager, account: Pick<CloudAccountEntity, 'id' | 'tenantId'>) {
    const rows = await em.find(EnvironmentEntity, {
      where: { tenantId: account.tenantId, accountId: account.id },
      order: { name: 'ASC' },
      select: { name: true },
    });
    return rows.map((r) => r.name);
  }

  /** Orphans of an account, first seen first; present ones unless `all`. */
  orphans(
    scope: TenantScope,
    accountId: string,
    filter: { all?: boolean },
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<CloudOrphanEntity>> {
    const qb = this.db
      .getRepository(CloudOrphanEntity)
      .createQueryBuilder('o')
      .where('o.account_id = :accountId', { accountId });
    if (!scope.anyTenant) qb.andWhere('o.tenant_id = :tid', { tid: scope.tenantId });
    if (!filter.all) qb.andWhere('o.removed_at IS NULL');
    return keysetPage(
      qb,
      { columns: ['o.first_seen_at', 'o.id'], position: (o) => ({ createdAt: o.firstSeenAt, id: o.id }) },
      cursor,
      limit,
    );
  }
}
