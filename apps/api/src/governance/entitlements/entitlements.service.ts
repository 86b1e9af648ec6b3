import { Inject, Injectable } from '@nestjs/common';
import { UnitOfWork } from '@switchyard/core/database';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { AppException, ErrorCode, type ErrorDetail } from '../../common/app.exception.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { EntitlementsCache } from './entitlements-cache.js';
import { EntitlementsRepository, type Entitlement } from './entitlements.repository.js';
import type { EntitlementsDto, SetEntitlementsDto } from './entitlements.dto.js';
import { likePatterns, matchesAny } from './name-pattern.util.js';

/** What a caller may see, as SQL LIKE patterns; null: everything. */
export interface EntitlementFilters {
  blueprints: string[] | null;
  environments: string[] | null;
}

/**
 * Which blueprints a tenant may order and which environments it may place on. Admins set them;
 * they bind the tenant's members and operators (admins manage every tenant and are not bound).
 * Lists hide what is not allowed; an order, a plan or a blueprint page asking for it is a 403
 * naming the entitlement.
 */
@Injectable()
export class EntitlementsService {
  constructor(
    @Inject(EntitlementsRepository) private readonly repo: EntitlementsRepository,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(EntitlementsCache) private readonly cache: EntitlementsCache,
  ) {}

  async get(caller: Principal, tenantName: string): Promise<EntitlementsDto> {
    const tenant = await this.tenants.get(caller, tenantName);
    return toDto(tenant.name, await this.repo.find(tenant.id));
  }

  async set(caller: Principal, tenantName: string, dto: SetEntitlementsDto): Promise<EntitlementsDto> {
    const tenant = await this.tenants.get(caller, tenantName);
    const saved = await this.uow.run(async (em) => {
      const before = await this.repo.lock(em, tenant.id);
      const after = await this.repo.save(em, tenant.id, {
        blueprints: dto.blueprints && [...new Set(dto.blueprints)],
        environments: dto.environments && [...new Set(dto.environments)],
      });
      await this.audit.record(em, caller, {
        tenantId: tenant.id,
        action: 'entitlements.update',
        resourceType: 'tenant',
        resourceId: tenant.id,
        before: { blueprints: before.blueprints, environments: before.environments },
        after: { blueprints: after.blueprints, environments: after.environments },
      });
      return toDto(tenant.name, after);
    });
    // this process answers from the new row at once; the others when the notice reaches them
    this.cache.forgetAll();
    return saved;
  }

  /** SQL LIKE patterns of the blueprints and of the environments the caller may see (null: all), read once. */
  async filters(caller: Principal): Promise<EntitlementFilters> {
    const e = await this.binding(caller);
    return {
      blueprints: e.blueprints && likePatterns(e.blueprints),
      environments: e.environments && likePatterns(e.environments),
    };
  }

  /** SQL LIKE patterns of the blueprints the caller may see, or null for all. */
  async blueprintFilter(caller: Principal): Promise<string[] | null> {
    return (await this.filters(caller)).blueprints;
  }

  /** SQL LIKE patterns of the environments the caller may see, or null for all. */
  async environmentFilter(caller: Principal): Promise<string[] | null> {
    return (await this.filters(caller)).environments;
  }

  /** 403 unless the caller's tenant may order this blueprint. */
  async requireBlueprint(caller: Principal, name: string): Promise<void> {
    const { blueprints } = await this.binding(caller);
    if (!blueprints || matchesAny(name, blueprints)) return;
    throw new AppException(
      ErrorCode.Forbidden,
      `Tenant ${caller.tenantName} is not entitled to blueprint ${name}`,
      [{ path: 'blueprint', message: `${name} is not among the blueprints ${allowedText(blueprints)}` }],
    );
  }

  /** 403 naming each placement path whose environment the caller's tenant may not place on. */
  async requireEnvironments(
    caller: Principal,
    places: readonly [path: string, env: string][],
  ): Promise<void> {
    const { environments } = await this.binding(caller);
    if (!environments) return;
    const refused: ErrorDetail[] = places
      .filter(([, env]) => !matchesAny(env, environments))
      .map(([path, env]) => ({
        path,
        message: `${env} is not among the environments ${allowedText(environments)}`,
      }));
    if (refused.length === 0) return;
    const names = [...new Set(places.filter(([, e]) => !matchesAny(e, environments)).map(([, e]) => e))];
    throw new AppException(
      ErrorCode.Forbidden,
      `Tenant ${caller.tenantName} is not entitled to place on ${names.join(', ')}`,
      refused,
    );
  }

  private async binding(caller: Principal): Promise<Entitlement> {
    if (caller.role === 'admin') return { blueprints: null, environments: null, updatedAt: null };
    const held = this.cache.get(caller.tenantId);
    if (held) return held;
    const mark = this.cache.mark();
    const read = await this.repo.find(caller.tenantId);
    this.cache.remember(caller.tenantId, mark, read);
    return read;
  }
}

function allowedText(patterns: readonly string[]): string {
  return patterns.length === 0
    ? 'this tenant is entitled to (none)'
    : `this tenant is entitled to (${patterns.join(', ')})`;
}

function toDto(tenant: string, e: Entitlement): EntitlementsDto {
  return {
    tenant,
    blueprints: e.blueprints,
    environments: e.environments,
    updatedAt: e.updatedAt ? e.updatedAt.toISOString() : null,
  };
}
