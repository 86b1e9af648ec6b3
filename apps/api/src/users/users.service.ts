import { Inject, Injectable } from '@nestjs/common';
import { hashPassword } from '@switchyard/core/crypto';
import { isUniqueViolation, UnitOfWork, type UserEntity } from '@switchyard/core/database';
import { PrincipalCache } from '../auth/principal-cache.js';
import { AuditService } from '../audit/audit.service.js';
import { hasRole, type Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { assertUserAuthority } from '../auth/user-authority.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { mapPage, type Page } from '../common/pagination.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { TokensRepository } from '../tokens/tokens.repository.js';
import { UserPasswordsService } from './user-passwords.service.js';
import { toUserDto } from './user-dto.util.js';
import type { CreateUserDto, UpdateUserDto, UserDto } from './users.dto.js';
import { UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(
    @Inject(UsersRepository) private readonly repo: UsersRepository,
    @Inject(TenantsRepository) private readonly tenantsRepo: TenantsRepository,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(UserPasswordsService) private readonly passwords: UserPasswordsService,
    @Inject(PrincipalCache) private readonly principals: PrincipalCache,
  ) {}

  async create(caller: Principal, dto: CreateUserDto): Promise<UserDto> {
    if (dto.tenant && dto.tenant !== caller.tenantName && !tenantScope(caller).anyTenant) {
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
      return await this.uow.run(async (em) => {
        const user = await this.repo.insert(em, {
          tenantId: tenant.id,
          name: dto.name,
          email: dto.email ?? null,
          role: dto.role,
          passwordHash,
          passwordChangedAt: passwordHash ? new Date() : null,
        });
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
    const page = await this.repo.list(tenantScope(caller), query.cursor, query.limit);
    return mapPage(page, (row) => toUserDto(row.user, row.tenantName));
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
    const scope = tenantScope(caller);
    const updated = await this.uow.run(async (em) => {
      const user = await this.repo.find(scope, id, em, true);
      if (!user) throw AppException.notFound(`user ${id}`);
      this.checkUpdate(caller, user, dto);
      const tenant = await this.tenantsRepo.findById(scope, user.tenantId, em);
      if (!tenant) throw AppException.notFound(`user ${id}`);
      const before = toUserDto(user, tenant.name);
      const changes: Partial<Pick<UserEntity, 'email' | 'role'>> = {};
      if (dto.email !== undefined && dto.email !== user.email) changes.email = dto.email;
      if (dto.role !== undefined && dto.role !== user.role) changes.role = dto.role;
      if (Object.keys(changes).length === 0 && passwordHash === undefined) return before;
      if (Object.keys(changes).length > 0) await this.repo.update(em, id, changes);
      const effects: Record<string, unknown> = {};
      if (passwordHash !== undefined) {
        await this.repo.storePassword(em, id, passwordHash);
        effects.passwordChanged = true;
        effects.sessionsRevoked = await this.tokens.revokeSessions(em, id);
      }
      if (changes.role && !hasRole(changes.role, user.role)) {
        // a token never carries more than its owner's role
        effects.tokensLowered = await this.tokens.lowerRole(em, id, changes.role);
      }
      const after = toUserDto((await this.repo.find(scope, id, em))!, tenant.name);
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
    this.principals.forgetAll();
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

  /**
   * A user the caller may act on or for (see assertUserAuthority): 404 when it does not exist or
   * is another tenant's, 403 when it is above the caller's token or, for a member, someone else.
   */
  async getManageable(caller: Principal, userId: string, what: string): Promise<UserEntity> {
    const user = await this.repo.find(tenantScope(caller), userId);
    if (!user) throw AppException.notFound(`user ${userId}`);
    assertUserAuthority(caller, user, what);
    return user;
  }
}
