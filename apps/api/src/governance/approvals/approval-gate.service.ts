import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentEntity } from '@switchyard/core/deployments';
import { WebhookOutbox } from '@switchyard/core/webhooks';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../../auth/principal.js';
import { approvalReasons, type HoldReason, type OrderFacts } from './approval-rule-match.util.js';
import { ApprovalRulesRepository } from './approval-rules.repository.js';
import { ApprovalsRepository } from './approvals.repository.js';

/** Why an order waits, and for how long at most. */
export interface ApprovalHold {
  reasons: HoldReason[];
  /** The reasons in one line, for the deployment's event. */
  why: string;
  /** The shortest expiry of the rules that hold it. */
  expiresAfterMinutes: number;
  facts: OrderFacts;
}

/**
 * Approvals in the order path: `holdFor` judges an order against its tenant's rules before
 * anything is written; `open` writes the approval and announces it (`approval.requested`) in the
 * order's own transaction, beside the deployment row that waits in `awaiting-approval`.
 */
@Injectable()
export class ApprovalGate {
  constructor(
    @Inject(ApprovalRulesRepository) private readonly rules: ApprovalRulesRepository,
    @Inject(ApprovalsRepository) private readonly approvals: ApprovalsRepository,
    @Inject(WebhookOutbox) private readonly outbox: WebhookOutbox,
  ) {}

  async holdFor(caller: Principal, facts: OrderFacts): Promise<ApprovalHold | undefined> {
    const rules = await this.rules.forTenant(caller.tenantId);
    const reasons = approvalReasons(rules, facts);
    if (reasons.length === 0) return undefined;
    const held = rules.filter((r) => reasons.some((h) => h.rule === r.name));
    return {
      reasons,
      why: reasons.map((r) => `${r.message} (rule ${r.rule})`).join('; '),
      expiresAfterMinutes: Math.min(...held.map((r) => r.expiresAfterMinutes)),
      facts,
    };
  }

  async open(em: EntityManager, caller: Principal, d: DeploymentEntity, hold: ApprovalHold): Promise<void> {
    const saved = await this.approvals.insert(em, {
      tenantId: d.tenantId,
      deploymentId: d.id,
      reasons: hold.reasons,
      requestedBy: caller.userId,
      requestedByName: caller.userName,
      monthlyCost: hold.facts.monthly,
      expiresAfterMinutes: hold.expiresAfterMinutes,
    });
    await this.outbox.emit(em, d.tenantId, 'approval.requested', {
      approvalId: saved.id,
      deployment: { id: d.id, name: d.name, blueprint: `${d.blueprintName}@${d.blueprintVersion}` },
      orderedBy: caller.userName,
      environments: hold.facts.environments,
      monthlyCost: hold.facts.monthly,
      reasons: hold.reasons,
      expiresAt: saved.expiresAt.toISOString(),
    });
  }
}
