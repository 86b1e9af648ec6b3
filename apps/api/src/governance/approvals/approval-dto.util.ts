import type { Principal } from '../../auth/principal.js';
import { hasRole } from '../../auth/principal.js';
import type { ApprovalRow } from './approvals.repository.js';
import type { ApprovalDto } from './approvals.dto.js';

/** Operators and admins decide, never the one who ordered (whatever its role). */
export function mayDecide(caller: Principal, a: Pick<ApprovalRow, 'requestedBy'>): boolean {
  return hasRole(caller.role, 'operator') && a.requestedBy !== caller.userId;
}

export function toApprovalDto(a: ApprovalRow, caller: Principal): ApprovalDto {
  return {
    id: a.id,
    tenantId: a.tenantId,
    deploymentId: a.deploymentId,
    deploymentName: a.deploymentName,
    blueprint: a.blueprint,
    state: a.state,
    reasons: a.reasons,
    requestedBy: { id: a.requestedBy, name: a.requestedByName },
    monthlyCost: a.monthlyCost,
    expiresAt: a.expiresAt.toISOString(),
    decidedBy: a.decidedByName ? { id: a.decidedBy, name: a.decidedByName } : null,
    decisionReason: a.decisionReason,
    decidedAt: a.decidedAt ? a.decidedAt.toISOString() : null,
    createdAt: a.createdAt.toISOString(),
    mayDecide: a.state === 'pending' && mayDecide(caller, a),
  };
}
