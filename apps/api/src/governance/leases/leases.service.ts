import { Inject, Injectable } from '@nestjs/common';
import { UnitOfWork } from '@switchyard/core/database';
import { DeploymentRepository, type DeploymentEntity } from '@switchyard/core/deployments';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { tenantScope } from '../../auth/tenant-scope.util.js';
import { AppException, ErrorCode } from '../../common/app.exception.js';
import { mayActOnDeployment } from '../../deployments/deployment-authority.util.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { governedTenant } from '../governed-tenant.util.js';
import { DEFAULT_WARN_BEFORE_MINUTES } from '@switchyard/core/governance';
import type { LeaseDto, LeasePolicyDto, PutLeasePolicyDto } from './leases.dto.js';
import { LeasesRepository } from './leases.repository.js';

const HOUR_MS = 3_600_000;
// a lease can be extended while its deployment is up
const EXTENDABLE = ['pending', 'provisioning', 'running', 'stopping', 'stopped', 'starting', 'scaling'];

/**
 * Leases: a per-tenant maximum (set by admins), which orders and extensions stay within, and
 * extensions by the orderer or an operator of the tenant (admins anywhere), audited and said on
 * the deployment's event stream.
 */
@Injectable()
export class LeasesService {
  constructor(
    @Inject(LeasesRepository) private readonly repo: LeasesRepository,
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async policy(caller: Principal, tenantName?: string): Promise<LeasePolicyDto> {
    const tenant = await governedTenant(this.tenants, caller, tenantName);
    const p = await this.repo.policy(tenant.id);
    return {
      tenant: tenant.name,
      maxLeaseHours: p?.maxLeaseHours ?? null,
      warnBeforeMinutes: p?.warnBeforeMinutes ?? DEFAULT_WARN_BEFORE_MINUTES,
    };
  }

  async putPolicy(caller: Principal, dto: PutLeasePolicyDto): Promise<LeasePolicyDto> {
    const tenant = await governedTenant(this.tenants, caller, dto.tenant);
    const after = {
      maxLeaseHours: dto.maxLeaseHours,
      warnBeforeMinutes: dto.warnBeforeMinutes ?? DEFAULT_WARN_BEFORE_MINUTES,
    };
    await this.uow.run(async (em) => {
      const before = await this.repo.lockPolicy(em, tenant.id);
      await this.repo.putPolicy(em, tenant.id, after, caller.userName);
      await this.audit.record(em, caller, {
        tenantId: tenant.id,
        action: 'lease-policy.set',
        resourceType: 'lease-policy',
        resourceId: tenant.name,
        before,
        after,
      });
    });
    return { tenant: tenant.name, ...after };
  }

  /** An order's lease, checked against its tenant's maximum (in the order's transaction). */
  async checkOrder(em: EntityManager, d: DeploymentEntity): Promise<void> {
    if (d.leaseHours === null) return;
    const p = await this.repo.policy(d.tenantId, em);
    if (p && d.leaseHours > p.maxLeaseHours) {
      throw AppException.invalid([
        { path: 'leaseHours', message: `must be at most ${p.maxLeaseHours} (the tenant's maximum lease)` },
      ]);
    }
  }

  async extend(caller: Principal, id: string, hours: number): Promise<LeaseDto> {
    return this.uow.run(async (em) => {
      const d = await this.deployments.lock(em, tenantScope(caller), id);
      if (!d) throw AppException.notFound(`deployment ${id}`);
      if (!mayActOnDeployment(caller, d)) {
        throw new AppException(
          ErrorCode.Forbidden,
          'Leases are extended by the one who ordered the deployment, or an operator of its tenant',
        );
      }
      if (d.leaseHours === null) {
        throw AppException.conflict('This deployment has no lease to extend', [
          { path: 'hours', message: 'the deployment was ordered without leaseHours' },
        ]);
      }
      if (!EXTENDABLE.includes(d.state)) {
        throw AppException.conflict(`A ${d.state} deployment's lease cannot be extended`);
      }
      const p = await this.repo.policy(d.tenantId, em);
      const leaseHours = d.leaseHours + hours;
      if (p && leaseHours > p.maxLeaseHours) {
        const room = Math.max(0, p.maxLeaseHours - d.leaseHours);
        throw AppException.conflict(
          `The lease would be ${leaseHours} h; the tenant's maximum is ${p.maxLeaseHours} h from the order`,
          [{ path: 'hours', message: `at most ${room} more hours` }],
        );
      }
      await this.repo.setLeaseHours(em, d.id, leaseHours);
      const expiresAt = new Date(d.createdAt.getTime() + leaseHours * HOUR_MS).toISOString();
      await this.deployments.addEvent(em, d.id, {
        type: 'lease.extended',
        message: `lease extended by ${hours} h to ${leaseHours} h (ends ${expiresAt}) by ${caller.userName}`,
        data: { leaseHours, previousLeaseHours: d.leaseHours, leaseExpiresAt: expiresAt },
      });
      await this.audit.record(em, caller, {
        tenantId: d.tenantId,
        action: 'deployment.lease.extend',
        resourceType: 'deployment',
        resourceId: d.id,
        before: { leaseHours: d.leaseHours },
        after: { leaseHours },
      });
      return { id: d.id, leaseHours, leaseExpiresAt: expiresAt, maxLeaseHours: p?.maxLeaseHours ?? null };
    });
  }
}
