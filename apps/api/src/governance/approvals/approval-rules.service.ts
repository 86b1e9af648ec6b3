import { Inject, Injectable } from '@nestjs/common';
import { inScope, isUniqueViolation, UnitOfWork } from '@switchyard/core/database';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { tenantScope } from '../../auth/tenant-scope.util.js';
import { AppException, ErrorCode } from '../../common/app.exception.js';
import { mapPage, type Page } from '../../common/pagination.js';
import type { ApprovalRuleDto, CreateApprovalRuleDto, UpdateApprovalRuleDto } from './approvals.dto.js';
import { ApprovalRulesRepository, type ApprovalRuleRow } from './approval-rules.repository.js';

// three days: long enough for a weekend
const DEFAULT_EXPIRY_MINUTES = 4320;

/** Approval rules: operators keep their tenant's, admins any tenant's; every change audited. */
@Injectable()
export class ApprovalRulesService {
  constructor(
    @Inject(ApprovalRulesRepository) private readonly repo: ApprovalRulesRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
  ) {}

  async create(caller: Principal, dto: CreateApprovalRuleDto): Promise<ApprovalRuleDto> {
    const tenantId = dto.tenantId ?? caller.tenantId;
    // another tenant's id is as unknown to an operator as a tenant that does not exist
    if (!inScope(tenantScope(caller), tenantId)) throw AppException.notFound('tenant');
    try {
      return await this.uow.run(async (em) => {
        const saved = await this.repo.insert(em, {
          tenantId,
          name: dto.name,
          monthlyCostAbove: dto.monthlyCostAbove ?? null,
          environments: dto.environments ?? null,
          blueprints: dto.blueprints ?? null,
          expiresAfterMinutes: dto.expiresAfterMinutes ?? DEFAULT_EXPIRY_MINUTES,
        });
        const after = toRuleDto(saved);
        await this.audit.record(em, caller, {
          tenantId,
          action: 'approval-rule.create',
          resourceType: 'approval-rule',
          resourceId: saved.id,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppException(ErrorCode.Conflict, `approval rule "${dto.name}" already exists`, [
          { path: 'name', message: 'is taken in this tenant' },
        ]);
      }
      throw err;
    }
  }

  async list(caller: Principal, q: { cursor?: string; limit?: number }): Promise<Page<ApprovalRuleDto>> {
    return mapPage(await this.repo.list(tenantScope(caller), q.cursor, q.limit), toRuleDto);
  }

  /** Fields given replace the rule's (null clears a condition); audited with before and after. */
  async update(caller: Principal, id: string, dto: UpdateApprovalRuleDto): Promise<ApprovalRuleDto> {
    return this.uow.run(async (em) => {
      const rule = await this.repo.find(em, tenantScope(caller), id);
      if (!rule) throw AppException.notFound('approval rule');
      const saved = await this.repo.update(em, {
        ...rule,
        ...(dto.monthlyCostAbove !== undefined ? { monthlyCostAbove: dto.monthlyCostAbove } : {}),
        ...(dto.environments !== undefined ? { environments: dto.environments } : {}),
        ...(dto.blueprints !== undefined ? { blueprints: dto.blueprints } : {}),
        ...(dto.expiresAfterMinutes !== undefined ? { expiresAfterMinutes: dto.expiresAfterMinutes } : {}),
      });
      const after = toRuleDto(saved);
      await this.audit.record(em, caller, {
        tenantId: rule.tenantId,
        action: 'approval-rule.update',
        resourceType: 'approval-rule',
        resourceId: id,
        before: toRuleDto(rule),
        after,
      });
      return after;
    });
  }

  async delete(caller: Principal, id: string): Promise<void> {
    await this.uow.run(async (em) => {
      const rule = await this.repo.find(em, tenantScope(caller), id);
      if (!rule) throw AppException.notFound('approval rule');
      await this.repo.delete(em, id);
      await this.audit.record(em, caller, {
        tenantId: rule.tenantId,
        action: 'approval-rule.delete',
        resourceType: 'approval-rule',
        resourceId: id,
        before: toRuleDto(rule),
      });
    });
  }
}

function toRuleDto(r: ApprovalRuleRow): ApprovalRuleDto {
  return {
    id: r.id,
    tenantId: r.tenantId,
    name: r.name,
    monthlyCostAbove: r.monthlyCostAbove,
    environments: r.environments,
    blueprints: r.blueprints,
    expiresAfterMinutes: r.expiresAfterMinutes,
    createdAt: r.createdAt.toISOString(),
  };
}
