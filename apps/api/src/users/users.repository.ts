import { Inject, Injectable } from '@nestjs/common';
import { TenantEntity, UserEntity, type Role, type TenantScope } from '@switchyard/core/database';
import { DataSource, In, type EntityManager } from 'typeorm';
import { keysetPage } from '../common/keyset-page.util.js';
import type { Page } from '../common/pagination.js';

/** A user with the name of its tenant (the API shows the name). */
export interface UserWithTenant {
  user: UserEntity;
  tenantName: string;
}

/** What a password sign-in looks up before any credential is checked. */
export interface SignInCandidate {
  tenant_id: string;
  tenant_name: string;
  user_id: string | null;
  user_name: string | null;
  role: Role | null;
  password_hash: string | null;
}

/** What changing one's own password needs of the user's row. */
export interface PasswordFacts {
  passwordHash: string | null;
  role: Role;
  tenantId: string;
}

export type NewUser = Pick<UserEntity, 'tenantId' | 'name' | 'email' | 'role'> &
  Partial<Pick<UserEntity, 'passwordHash' | 'passwordChangedAt'>>;

const NOW = `date_trunc('milliseconds', now())`;

/** Users in Postgres; a scope sees its tenant's users, or everyone's. */
@Injectable()
export class UsersRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  insert(em: EntityManager, fields: NewUser): Promise<UserEntity> {
    return em.save(em.create(UserEntity, fields));
  }

  async list(
    scope: TenantScope,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<UserWithTenant>> {
    const qb = this.db.getRepository(UserEntity).createQueryBuilder('u');
    if (!scope.anyTenant) qb.andWhere('u.tenant_id = :tid', { tid: scope.tenantId });
    const page = await keysetPage(qb, { columns: ['u.created_at', 'u.id'] }, cursor, limit);
    const ids = [...new Set(page.items.map((u) => u.tenantId))];
    const tenants = new Map(
      (ids.length ? await this.db.manager.findBy(TenantEntity, { id: In(ids) }) : []).map(
        (t) => [t.id, t.name] as const,
      ),
    );
    return {
      items: page.items.map((user) => ({ user, tenantName: tenants.get(user.tenantId) ?? '' })),
      nextCursor: page.nextCursor,
    };
  }

  /** The user if the scope reaches it; `lock` for a read-modify-write in `em`. */
  find(
    scope: TenantScope,
    id: string,
    em: EntityManager = this.db.manager,
    lock = false,
  ): Promise<UserEntity | null> {
    return em.findOne(UserEntity, {
      where: scope.anyTenant ? { id } : { id, tenantId: scope.tenantId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** A user of the scope's own tenant by name (names are unique in a tenant). */
  findByName(
    scope: TenantScope,
    name: string,
    em: EntityManager = this.db.manager,
  ): Promise<UserEntity | null> {
    return em.findOneBy(UserEntity, { tenantId: scope.tenantId, name });
  }

  async update(
    em: EntityManager,
    id: string,
    changes: Partial<Pick<UserEntity, 'email' | 'role'>>,
  ): Promise<void> {
    await em.update(UserEntity, { id }, changes);
  }

  /** Stores a new password hash (made outside the transaction: scrypt is slow). */
  async storePassword(em: EntityManager, id: string, hash: string): Promise<void> {
    await em.query(
      `UPDATE users
          SET password_hash = $2, password_changed_at = ${NOW}, updated_at = ${NOW}
        WHERE id = $1`,
      [id, hash],
    );
  }

  /** A hash made with weaker parameters than today's, stored again unless it changed meanwhile. */
  async rehashPassword(em: EntityManager, id: string, stored: string, rehash: string): Promise<void> {
    await em.query(`UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, [
      id,
      stored,
      rehash,
    ]);
  }

  async passwordFacts(scope: TenantScope, id: string): Promise<PasswordFacts | undefined> {
    const rows: { password_hash: string | null; role: Role; tenant_id: string }[] = await this.db.query(
      `SELECT password_hash, role, tenant_id FROM users WHERE id = $1 AND ($2 OR tenant_id = $3)`,
      [id, scope.anyTenant, scope.tenantId],
    );
    const row = rows[0];
    return row && { passwordHash: row.password_hash, role: row.role, tenantId: row.tenant_id };
  }

  /**
   * The tenant of this name and its user of this name, if any. Before any credential is checked
   * there is no caller, so no scope: the tenant named in the sign-in is the scope.
   */
  async signInCandidate(tenantName: string, userName: string): Promise<SignInCandidate | undefined> {
    const rows: SignInCandidate[] = await this.db.query(
      `SELECT t.id AS tenant_id, t.name AS tenant_name, u.id AS user_id, u.name AS user_name, u.role,
              u.password_hash
         FROM tenants t LEFT JOIN users u ON u.tenant_id = t.id AND u.name = $2
        WHERE t.name = $1`,
      [tenantName, userName],
    );
    return rows[0];
  }
}
