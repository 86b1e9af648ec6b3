import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, TenantEntity } from '@switchyard/core';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { AppException } from '../common/app.exception.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import type { CreateTenantDto, TenantDto } from './tenants.dto.js';

export function toTenantDto(t: TenantEntity): TenantDto {
  return {
    id: t.id,
    name: t.name,
    displayName: t.displayName,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

@Injectable()
export class TenantsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async create(caller: Principal, dto: CreateTenantDto): Promise<TenantDto> {
    try {
      return await this.db.transaction(async (em) => {
        const tenant = await em.save(
          em.create(TenantEntity, { name: dto.name, displayName: dto.displayName ?? '' }),
        );
        const after = toTenantDto(tenant);
        await this.audit.record(em, caller, {
          tenantId: tenant.id,
          action: 'tenant.create',
          resourceType: 'tenant',
          resourceId: tenant.id,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw AppException.conflict(`tenant "${dto.name}" already exists`);
      throw err;
    }
  }

  async list(caller: Principal, query: { limit?: number; cursor?: string }): Promise<Page<TenantDto>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor);
    const qb = this.db.getRepository(TenantEntity).createQueryBuilder('t');
    if (caller.role !== 'admin') qb.andWhere('t.id = :id', { id: caller.tenantId });
    if (after) qb.andWhere('(t.created_at, t.id) > (:at, :cid)', { at: after.createdAt, cid: after.id });
    const rows = await qb
      .orderBy('t.created_at')
      .addOrderBy('t.id')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, toTenantDto);
  }

  /** A tenant by name, as the caller may see it (404 for another tenant's, never 403). */
  async get(caller: Principal, name: string): Promise<TenantEntity> {
    const tenant = await this.db.getRepository(TenantEntity).findOneBy({ name });
    if (!tenant || (caller.role !== 'admin' && tenant.id !== caller.tenantId)) {
      throw AppException.notFound(`tenant "${name}"`);
    }
    return tenant;
  }
}
