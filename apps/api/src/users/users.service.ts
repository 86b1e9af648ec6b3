import { Inject, Injectable } from '@nestjs/common';
import {
  ApiTokenEntity,
  hashPassword,
  isUniqueViolation,
  type Role,
  ROLES,
  TenantEntity,
  UserEntity,
} from '@switchyard/core';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { hasRole, type Principal } from '../auth/principal.js';
import { assertUserAuthority } from '../auth/user-authority.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { UserPasswordsService } from './user-passwords.service.js';
import type { CreateUserDto, UpdateUserDto, UserDto } from './users.dto.js';

interface UserRow extends UserEntity {
  tenantName: string;
}

function toUserDto(u: UserEntity, tenant: string): UserDto {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    tenant,
    hasPassword: u.passwordChangedAt !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(UserPasswordsService) private readonly passwords: UserPasswordsService,
  ) {}

  async create(caller: Principal, dto: CreateUserDto): Promise<UserDto> {
    if (dto.tenant && dto.tenant !== caller.tenantName && caller.role !== 'admin') {
      throw new AppException(ErrorCode.Forbidden, 'Only admins create users in another tenant');
    }
    if (!hasRole(caller.role, dto.role)) {
      throw new AppException(
        ErrorCode.Forbidden,
        `A ${caller.role} cannot create a user with the ${dto.role} role`,
      );
    }
    const tenant = dto.tenant
      ? await this.tenants.get(caller, dto.tenant)
      : { id: caller.tenantId, name: caller.tenantName };
    const passwordHash = dto.password === undefined ? null : await hashPassword(dto.password);
    try {
      return await this.db.transaction(async (em) => {
        const user = await em.save(
          em.create(UserEntity, {
            tenantId: tenant.id,
            name: dto.name,
            email: dto.email ?? null,
            role: dto.role,
            passwordHash,
            passwordChangedAt: passwordHash ? new Date() : null,
          }),
        );
        const after = toUserDto(user, tenant.name);
        await this.audit.record(em, caller, {
          tenantId: tenant.id,
          action: 'user.create',
          resourceType: 'user',
          resourceId: user.id,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw AppException.conflict(`user "${dto.name}" already exists in tenant "${tenant.name}"`);
      throw err;
    }
  }

  async list(caller: Principal, query: { limit?: number; cursor?: string }): Promise<Page<UserDto>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor);
    const qb = this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .innerJoin('tenants', 't', 't.id = u.tenant_id')
      .addSelect('t.name', 'tenantName');
    if (caller.role !== 'admin') qb.andWhere('u.tenant_id = :tid', { tid: caller.tenantId });
    if (after) qb.andWhere('(u.created_at, u.id) > (:at, :cid)', { at: after.createdAt, cid: after.id });
    qb.orderBy('u.created_at')
      .addOrderBy('u.id')
      .limit(limit + 1);
    const { entities, raw } = await qb.getRawAndEntities<{ tenantName: string }>();
    const rows: UserRow[] = entities.map((e, i) =>
      Object.assign(e, { tenantName: raw[i]?.tenantName ?? '' }),
    );
    return toPage(rows, limit, (u) => toUserDto(u, u.tenantName));
  }

  /**
   * Changes a user's email, role or password (operators in their tenant, admins anywhere). No one
   * changes a user above their own role, raises one above it, or changes their own role or (here,
   * without the current one) their own password. A new password ends the user's sessions; a lower
   * role lowers the user's tokens that carried more.
   */
  async update(caller: Principal, id: string, dto: UpdateUserDto): Promise<UserDto> {
    // fail fast, before spending a hash's time on a change that is not allowed
    this.checkUpdate(caller, await this.getManageable(caller, id, 'change'), dto);
    const passwordHash = dto.password === undefined ? undefined : await hashPassword(dto.password);
    const updated = await this.db.transaction(async (em) => {
      const user = await em.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw AppException.notFound(`user ${id}`);
      this.checkUpdate(caller, user, dto);
      const tenant = await em.findOneByOrFail(TenantEntity, { id: user.tenantId });
      const before = toUserDto(user, tenant.name);
      const changes: Partial<Pick<UserEntity, 'email' | 'role'>> = {};
      if (dto.email !== undefined && dto.email !== user.email) changes.email = dto.email;
      if (dto.role !== undefined && dto.role !== user.role) changes.role = dto.role;
      if (Object.keys(changes).length === 0 && passwordHash === undefined) return before;
      if (Object.keys(changes).length > 0) await em.update(UserEntity, { id }, changes);
      const effects: Record<string, unknown> = {};
      if (passwordHash !== undefined) {
        await this.passwords.store(em, id, passwordHash);
        effects.passwordChanged = true;
        effects.sessionsRevoked = await this.passwords.revokeSessions(em, id);
      }
      if (changes.role && !hasRole(changes.role, user.role)) {
        effects.tokensLowered = await this.lowerTokens(em, id, changes.role);
      }
      const after = toUserDto(await em.findOneByOrFail(UserEntity, { id }), tenant.name);
      await this.audit.record(em, caller, {
        tenantId: user.tenantId,
        action: 'user.update',
        resourceType: 'user',
        resourceId: id,
        before,
        // that the password changed, never what to
        after: { ...after, ...effects },
      });
      return after;
    });
    if (passwordHash !== undefined) await this.passwords.liftLocks(updated.tenant, updated.name);
    return updated;
  }

  private checkUpdate(caller: Principal, user: UserEntity, dto: UpdateUserDto): void {
    // again on the row locked for the change: its role may have changed meanwhile
    assertUserAuthority(caller, user, 'change');
    if (dto.role !== undefined && !hasRole(caller.role, dto.role)) {
      throw new AppException(ErrorCode.Forbidden, `A ${caller.role} cannot give the ${dto.role} role`);
    }
    if (user.id !== caller.userId) return;
    if (dto.role !== undefined && dto.role !== user.role) {
      throw new AppException(ErrorCode.Forbidden, 'No one changes their own role');
    }
    if (dto.password !== undefined) {
      throw new AppException(
        ErrorCode.Forbidden,
        'Change your own password with POST /api/v1/me/password (it asks for the current one)',
      );
    }
  }

  /** A token never carries more than its owner's role: those that did now carry the new one. */
  private async lowerTokens(em: EntityManager, userId: string, role: Role): Promise<number> {
    const above = ROLES.filter((r) => !hasRole(role, r));
    const result = await em
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ role })
      .where('user_id = :userId AND revoked_at IS NULL AND role IN (:...above)', { userId, above })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * A user the caller may act on or for (see assertUserAuthority): 404 when it does not exist or
   * is another tenant's, 403 when it is above the caller's token or, for a member, someone else.
   */
  async getManageable(caller: Principal, userId: string, what: string): Promise<UserEntity> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id: userId });
    if (!user) throw AppException.notFound(`user ${userId}`);
    assertUserAuthority(caller, user, what);
    return user;
  }
}
