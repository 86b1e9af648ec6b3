import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, UnitOfWork, type TenantEntity } from '@switchyard/core/database';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException } from '../common/app.exception.js';
import { mapPage, type Page } from '../common/pagination.js';
import { toTenantDto } from './tenant-dto.util.js';
import type { CreateTenantDto, TenantDto } from './tenants.dto.js';
import { TenantsRepository } from './tenants.repository.js';

@Injectable()
export class TenantsService {
  constructor(
    @Inject(TenantsRepository) private readonly repo: TenantsRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async create(caller: Principal, dto: CreateTenantDto): Promise<TenantDto> {
    try {
      return await this.uow.run(async (em) => {
        const tenant = await this.repo.insert(em, { name: dto.name, displayName: dto.displayName ?? '' });
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
    return mapPage(await this.repo.list(tenantScope(caller), query.cursor, query.limit), toTenantDto);
  }

  /** A tenant by name, as the caller may see it (404 for another tenant's, never 403). */
  async get(caller: Principal, name: string): Promise<TenantEntity> {
    const tenant = await this.repo.findByName(tenantScope(caller), name);
    if (!tenant) throw AppException.notFound(`tenant "${name}"`);
    return tenant;
  }
}
