import { Inject, Injectable } from '@nestjs/common';
import { UnitOfWork } from '@switchyard/core/database';
import { costText, costUnits, type QuotaLimits } from '@switchyard/core/governance';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { AppException } from '../../common/app.exception.js';
import { TenantsService } from '../../tenants/tenants.service.js';
import { governedTenant } from '../governed-tenant.util.js';
import type {
  EnvironmentUsageDto,
  PutQuotaDto,
  QuotaDto,
  QuotaListDto,
  QuotaUsageDto,
  UsageAmountsDto,
} from './quotas.dto.js';
import { QuotasRepository, type EnvironmentAmounts, type QuotaRow } from './quotas.repository.js';

/**
 * Quotas per tenant and per environment of a tenant: set by admins (a quota limits a tenant, so
 * its own operators do not raise it), read by everyone in the tenant, every change audited.
 */
@Injectable()
export class QuotasService {
  constructor(
    @Inject(QuotasRepository) private readonly repo: QuotasRepository,
    @Inject(TenantsService) private readonly tenants: TenantsService,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(caller: Principal, tenantName?: string): Promise<QuotaListDto> {
    const tenant = await governedTenant(this.tenants, caller, tenantName);
    const [rows, reserved] = await Promise.all([this.repo.list(tenant.id), this.repo.reserved(tenant.id)]);
    return { tenant: tenant.name, items: rows.map((r) => toQuotaDto(r, reserved)), nextCursor: null };
  }

  /** Sets (or, with no limit given, removes) one quota; answers the tenant's quotas after it. */
  async put(caller: Principal, dto: PutQuotaDto): Promise<QuotaListDto> {
    const tenant = await governedTenant(this.tenants, caller, dto.tenant);
    const environment = dto.environment ?? '';
    if (environment && !(await this.repo.environmentVisible(tenant.id, environment))) {
      throw AppException.invalid([
        {
          path: 'environment',
          message: `no environment "${environment}" that tenant ${tenant.name} can use`,
        },
      ]);
    }
    const limits: QuotaLimits = {
      environment,
      instances: dto.instances ?? null,
      vcpus: dto.vcpus ?? null,
      memoryMiB: dto.memoryMiB ?? null,
      monthlyCost: dto.monthlyCost ? costText(costUnits(dto.monthlyCost.amount)) : null,
      currency: dto.monthlyCost?.currency ?? null,
    };
    const none = [limits.instances, limits.vcpus, limits.memoryMiB, limits.monthlyCost].every(
      (v) => v === null,
    );
    await this.uow.run(async (em) => {
      const before = await this.repo.lock(em, tenant.id, environment);
      if (none) await this.repo.remove(em, tenant.id, environment);
      else await this.repo.upsert(em, tenant.id, limits, caller.userName);
      await this.audit.record(em, caller, {
        tenantId: tenant.id,
        action: none ? 'quota.remove' : 'quota.set',
        resourceType: 'quota',
        resourceId: `${tenant.name}/${environment || '*'}`,
        before: before ? auditedLimits(before) : null,
        after: none ? null : auditedLimits(limits),
      });
    });
    return this.list(caller, tenant.name);
  }

  async usage(caller: Principal, tenantName?: string): Promise<QuotaUsageDto> {
    const tenant = await governedTenant(this.tenants, caller, tenantName);
    const [reserved, running, mismatched] = await Promise.all([
      this.repo.reserved(tenant.id),
      this.repo.running(tenant.id),
      this.repo.mismatched(tenant.id),
    ]);
    const names = [...new Set([...reserved, ...running].map((r) => r.environment))].sort();
    const environments: EnvironmentUsageDto[] = names.map((environment) => ({
      environment,
      reserved: total(reserved.filter((r) => r.environment === environment)),
      running: total(running.filter((r) => r.environment === environment)),
    }));
    return {
      tenant: tenant.name,
      environments,
      reserved: total(reserved),
      running: total(running),
      mismatched,
    };
  }
}

function auditedLimits(l: QuotaLimits) {
  return {
    environment: l.environment || null,
    instances: l.instances,
    vcpus: l.vcpus,
    memoryMiB: l.memoryMiB,
    monthlyCost: l.monthlyCost === null ? null : { amount: l.monthlyCost, currency: l.currency },
  };
}

function toQuotaDto(r: QuotaRow, reserved: EnvironmentAmounts[]): QuotaDto {
  const covered = reserved.filter((x) => r.environment === '' || x.environment === r.environment);
  const sum = total(covered);
  const cost = r.currency ? sum.monthlyCost.find((m) => m.currency === r.currency) : undefined;
  return {
    environment: r.environment || null,
    limits: {
      instances: r.instances,
      vcpus: r.vcpus,
      memoryMiB: r.memoryMiB,
      monthlyCost:
        r.monthlyCost === null ? null : { amount: costText(costUnits(r.monthlyCost)), currency: r.currency! },
    },
    used: {
      instances: sum.instances,
      vcpus: sum.vcpus,
      memoryMiB: sum.memoryMiB,
      monthlyCost: r.currency ? (cost ?? { amount: '0.00', currency: r.currency }) : null,
    },
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt.toISOString(),
  };
}

function total(rows: readonly EnvironmentAmounts[]): UsageAmountsDto {
  const cost = new Map<string, bigint>();
  for (const r of rows) cost.set(r.currency, (cost.get(r.currency) ?? 0n) + costUnits(r.monthlyCost));
  return {
    instances: rows.reduce((n, r) => n + Number(r.instances), 0),
    vcpus: rows.reduce((n, r) => n + Number(r.vcpus), 0),
    memoryMiB: rows.reduce((n, r) => n + Number(r.memoryMiB), 0),
    monthlyCost: [...cost]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, units]) => ({ amount: costText(units), currency })),
  };
}
