import { Inject, Injectable } from '@nestjs/common';
import { CloudAccountEntity, EnvironmentEntity } from '@switchyard/core';
import { DataSource, In, type EntityManager } from 'typeorm';
import { decodeCursor } from '../common/pagination.js';
import type { TenantScope } from '../auth/tenant-scope.util.js';

/** An environment with the account it deploys to. */
export interface EnvironmentRow {
  environment: EnvironmentEntity;
  account: CloudAccountEntity;
}

/**
 * Environments in Postgres. Visible to a scope: its tenant's own and the shared ones (admins: all).
 * A name may exist in several tenants; the caller's own wins over a shared one.
 */
@Injectable()
export class EnvironmentsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async list(scope: TenantScope, query: { limit: number; cursor?: string }): Promise<EnvironmentRow[]> {
    const after = decodeCursor(query.cursor);
    const qb = this.db.getRepository(EnvironmentEntity).createQueryBuilder('e');
    if (!scope.anyTenant) qb.andWhere('(e.tenant_id = :tid OR e.shared)', { tid: scope.tenantId });
    if (after) qb.andWhere('(e.created_at, e.id) > (:at, :cid)', { at: after.createdAt, cid: after.id });
    const rows = await qb
      .orderBy('e.created_at')
      .addOrderBy('e.id')
      .limit(query.limit + 1)
      .getMany();
    return this.withAccounts(this.db.manager, rows);
  }

  /** Visible environments of these names, the caller's own first for each name. */
  async findVisible(
    scope: TenantScope,
    names: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, EnvironmentRow>> {
    if (names.length === 0) return new Map();
    const qb = em
      .getRepository(EnvironmentEntity)
      .createQueryBuilder('e')
      .where('e.name IN (:...names)', { names: [...names] });
    if (!scope.anyTenant) qb.andWhere('(e.tenant_id = :tid OR e.shared)', { tid: scope.tenantId });
    const rank = (e: EnvironmentEntity) => (e.tenantId === scope.tenantId ? 0 : e.shared ? 1 : 2);
    const rows = (await qb.orderBy('e.created_at').addOrderBy('e.id').getMany()).sort(
      (a, b) => rank(a) - rank(b),
    );
    const found = new Map<string, EnvironmentRow>();
    for (const row of await this.withAccounts(em, rows)) {
      if (!found.has(row.environment.name)) found.set(row.environment.name, row);
    }
    return found;
  }

  private async withAccounts(em: EntityManager, rows: EnvironmentEntity[]): Promise<EnvironmentRow[]> {
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.accountId))];
    const accounts = new Map(
      (await em.findBy(CloudAccountEntity, { id: In(ids) })).map((a) => [a.id, a] as const),
    );
    return rows.flatMap((environment) => {
      const account = accounts.get(environment.accountId);
      // the foreign key (RESTRICT) keeps the account while an environment uses it
      return account ? [{ environment, account }] : [];
    });
  }
}
