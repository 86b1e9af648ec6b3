import { Inject, Injectable } from '@nestjs/common';
import { UserEntity } from '@switchyard/core';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { hasRole, type Principal } from '../auth/principal.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { isUniqueViolation } from '../platform/postgres-errors.js';
import { TenantsService } from '../tenants/tenants.service.js';
import type { CreateUserDto, UserDto } from './users.dto.js';

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
    createdAt: u.createdAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(AuditService) private readonly audit: AuditService,
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
    try {
      return await this.db.transaction(async (em) => {
        const user = await em.save(
          em.create(UserEntity, {
            tenantId: tenant.id,
            name: dto.name,
            email: dto.email ?? null,
            role: dto.role,
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

  /** A user the caller may act for: itself, or (operator, admin) one of its tenant's, or (admin) any. */
  async getManageable(caller: Principal, userId: string): Promise<UserEntity> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id: userId });
    const visible = user && (caller.role === 'admin' || user.tenantId === caller.tenantId);
    if (!user || !visible) throw AppException.notFound(`user ${userId}`);
    if (user.id !== caller.userId && caller.role === 'member') {
      throw new AppException(ErrorCode.Forbidden, 'Members manage only their own tokens');
    }
    return user;
  }
}
