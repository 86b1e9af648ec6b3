import { Inject, Injectable } from '@nestjs/common';
import { tenantOnly } from '@switchyard/core/database';
import { DeploymentLifecycle, DeploymentRepository } from '@switchyard/core/deployments';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { tenantScope } from '../../auth/tenant-scope.util.js';
import { AppException, ErrorCode } from '../../common/app.exception.js';
import { mapPage, type Page } from '../../common/pagination.js';
import { mayDecide, toApprovalDto } from './approval-dto.util.js';
import type { ApprovalDto, ApprovalListQuery } from './approvals.dto.js';
import { ApprovalsRepository, type ApprovalRow } from './approvals.repository.js';

interface Decision {
  verdict: 'approve' | 'reject';
  reason: string | null;
}

/**
 * The approvals inbox: members read the approvals of what they ordered, operators their tenant's,
 * admins all. Operators and admins approve or reject, never the orderer; a decision moves the
 * deployment (approve: on to pending and its first job; reject: ended) and is audited in one
 * transaction; the deployment's event goes out to the tenant's webhooks.
 */
@Injectable()
export class ApprovalsService {
  constructor(
    @Inject(ApprovalsRepository) private readonly repo: ApprovalsRepository,
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DeploymentLifecycle) private readonly lifecycle: DeploymentLifecycle,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(caller: Principal, q: ApprovalListQuery): Promise<Page<ApprovalDto>> {
    const requestedBy = caller.role === 'member' ? caller.userId : undefined;
    const page = await this.repo.list(tenantScope(caller), { ...q, requestedBy }, q.cursor, q.limit);
    return mapPage(page, (a) => toApprovalDto(a, caller));
  }

  async get(caller: Principal, id: string): Promise<ApprovalDto> {
    const a = await this.repo.find(tenantScope(caller), id);
    if (!a || (caller.role === 'member' && a.requestedBy !== caller.userId))
      throw AppException.notFound('approval');
    return toApprovalDto(a, caller);
  }

  decide(
    caller: Principal,
    id: string,
    reason: string | undefined,
    verdict: 'approve' | 'reject',
  ): Promise<ApprovalDto> {
    if (verdict === 'reject' && !reason) {
      throw AppException.invalid([
        { path: 'reason', message: 'is required to reject: the orderer reads it' },
      ]);
    }
    const decision: Decision = { verdict, reason: reason ?? null };
    const scope = tenantScope(caller);
    return this.deployments.transaction(async (em) => {
      const a = await this.repo.find(scope, id, em, true);
      if (!a) throw AppException.notFound('approval');
      if (!mayDecide(caller, a)) {
        throw new AppException(
          ErrorCode.Forbidden,
          a.requestedBy === caller.userId
            ? `You ordered ${a.deploymentName}: another operator or an admin must decide`
            : 'Only operators and admins approve or reject',
        );
      }
      if (a.state !== 'pending') throw AppException.conflict(`This approval is already ${a.state}`);
      if (a.expiresAt.getTime() <= Date.now()) {
        throw AppException.conflict(`This approval expired at ${a.expiresAt.toISOString()}`);
      }
      const state = decision.verdict === 'approve' ? 'approved' : 'rejected';
      const said = decision.reason;
      const moved = await this.moveDeployment(em, a, caller, decision);
      if (!moved) throw AppException.conflict(`${a.deploymentName} no longer waits for approval`);
      await this.repo.decide(em, a.id, { state, by: caller.userId, byName: caller.userName, reason: said });
      await this.audit.record(em, caller, {
        tenantId: a.tenantId,
        action: `approval.${verdict}`,
        resourceType: 'approval',
        resourceId: a.id,
        before: { name: a.deploymentName, state: 'pending' },
        after: { name: a.deploymentName, state, reason: said },
      });
      return toApprovalDto((await this.repo.find(scope, id, em))!, caller);
    });
  }

  /** Approve: the deployment goes on to pending and its first job; reject: it ends, saying why. */
  private moveDeployment(em: EntityManager, a: ApprovalRow, caller: Principal, decision: Decision) {
    const scope = tenantOnly(a.tenantId);
    if (decision.verdict === 'approve') {
      return this.lifecycle.approve(em, scope, a.deploymentId, {
        by: caller.userName,
        reason: decision.reason,
      });
    }
    return this.lifecycle.endUnapproved(em, scope, a.deploymentId, {
      state: 'rejected',
      message: `rejected by ${caller.userName}: ${decision.reason}`,
      data: { approvalId: a.id, orderedBy: a.requestedByName, by: caller.userName, reason: decision.reason },
    });
  }
}
