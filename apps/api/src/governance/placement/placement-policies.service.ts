import { Inject, Injectable } from '@nestjs/common';
import { UnitOfWork } from '@switchyard/core/database';
import { DeploymentRepository } from '@switchyard/core/deployments';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { tenantScope } from '../../auth/tenant-scope.util.js';
import { AppException } from '../../common/app.exception.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { governedTenant } from '../governed-tenant.util.js';
import type { PlacementExplanationDto, PlacementPolicyDto, PutPlacementPolicyDto } from './placement.dto.js';
import { PlacementRepository, type StoredPolicy } from './placement.repository.js';

/** Placement policies (operators of the tenant, admins; audited) and deployments' placement decisions. */
@Injectable()
export class PlacementPoliciesService {
  constructor(
    @Inject(PlacementRepository) private readonly repo: PlacementRepository,
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async get(caller: Principal, tenantName?: string): Promise<PlacementPolicyDto> {
    const tenant = await governedTenant(this.tenants, caller, tenantName);
    const p = await this.repo.policy(tenant.id);
    return { tenant: tenant.name, rules: p?.rules ?? [], strategy: p?.strategy ?? 'cheapest' };
  }

  async put(caller: Principal, dto: PutPlacementPolicyDto): Promise<PlacementPolicyDto> {
    const tenant = await governedTenant(this.tenants, caller, dto.tenant);
    const after: StoredPolicy = {
      rules: dto.rules.map(({ kind, tag, tiers, services, description }) => ({
        kind,
        tag,
        ...(tiers ? { tiers } : {}),
        ...(services ? { services } : {}),
        ...(description ? { description } : {}),
      })),
      strategy: dto.strategy ?? 'cheapest',
    };
    await this.uow.run(async (em) => {
      const before = await this.repo.lock(em, tenant.id);
      await this.repo.put(em, tenant.id, after, caller.userName);
      await this.audit.record(em, caller, {
        tenantId: tenant.id,
        action: 'placement-policy.set',
        resourceType: 'placement-policy',
        resourceId: tenant.name,
        before,
        after,
      });
    });
    return { tenant: tenant.name, ...after };
  }

  async explanation(caller: Principal, id: string): Promise<PlacementExplanationDto> {
    const d = await this.deployments.find(tenantScope(caller), id);
    if (!d) throw AppException.notFound(`deployment ${id}`);
    const decision = await this.repo.decision(d.id);
    if (!decision)
      throw AppException.notFound(`a placement decision of deployment ${id} (its order named the placement)`);
    return { deploymentId: d.id, ...decision.explanation, createdAt: decision.createdAt.toISOString() };
  }
}
