import { Inject, Injectable } from '@nestjs/common';
import { CloudAccountEntity, EnvironmentEntity, type TenantScope } from '@switchyard/core/database';
import { DataSource, In, type EntityManager } from 'typeorm';
import { keysetPage } from '../common/keyset-page.util.js';
import type { Page } from '../common/pagination.js';

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

  async list(
    scope: TenantScope,
    cursor: string | undefined,
    limit: number | undefined,
    entitled: string[] | null = null,
  ): Promise<Page<EnvironmentRow>> {
    const qb = this.db.getRepository(EnvironmentEntity).createQueryBuilder('e');
    if (!scope.anyTenant) qb.andWhere('(e.tenant_id = :tid OR e.shared)', { tid: scope.tenantId });
    if (entitled) qb.andWhere(`e.name LIKE ANY (CAST(:entitled AS text[]))`, { entitled });
    const page = await keysetPage(qb, { columns: ['e.created_at', 'e.id'] }, cursor, limit);
    return { items: await this.withAccounts(this.db.manager, page.items), nextCursor: page.nextCursor };
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

  /** Names of the environments the scope may use, sorted. */
  async visibleNames(scope: TenantScope, entitled: string[] | null = null): Promise<string[]> {
    const qb = this.db
      .getRepository(EnvironmentEntity)
      .createQueryBuilder('e')
      .select('DISTINCT e.name', 'name');
    if (!scope.anyTenant) qb.where('(e.tenant_id = :tid OR e.shared)', { tid: scope.tenantId });
    if (entitled) qb.andWhere(`e.name LIKE ANY (CAST(:entitled AS text[]))`, { entitled });
    const rows = await qb.getRawMany<{ name: string }>();
    return rows.map((r) => r.name).sort();
  }

  create(em: EntityManager, fields: Partial<EnvironmentEntity>): EnvironmentEntity {
    return em.create(EnvironmentEntity, fields);
  }

  /** A new environment or a changed one; a name taken in the tenant is a unique violation. */
  save(em: EntityManager, environment: EnvironmentEntity): Promise<EnvironmentEntity> {
    return em.save(environment);
  }

  /** Deletes it; a foreign-key violation while deployments refer to it. */
  async delete(em: EntityManager, environment: Pick<EnvironmentEntity, 'id' | 'tenantId'>): Promise<void> {
    await em.delete(EnvironmentEntity, { id: environment.id, tenantId: environment.tenantId });
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
