import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentEntity } from '@switchyard/core/deployments';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../../auth/principal.js';
import { approvalReasons, type HoldReason, type OrderFacts } from './approval-rule-match.util.js';
import { ApprovalRulesRepository } from './approval-rules.repository.js';
import { ApprovalsRepository } from './approvals.repository.js';

/** Why an order waits, and until when. */
export interface ApprovalHold {
  approvalId: string;
  reasons: HoldReason[];
  /** The reasons in one line, for the deployment's event. */
  why: string;
  /** Now and the shortest expiry of the rules that hold it. */
  expiresAt: Date;
  facts: OrderFacts;
}

/**
 * Approvals in the order path: `holdFor` judges an order against its tenant's rules before
 * anything is written; `open` writes the approval in the order's own transaction, beside the
 * deployment row that waits in `awaiting-approval` (whose `approval.requested` event, carrying
 * `eventData`, goes out to the tenant's webhooks like every deployment event).
 */
@Injectable()
export class ApprovalGate {
  constructor(
    @Inject(ApprovalRulesRepository) private readonly rules: ApprovalRulesRepository,
    @Inject(ApprovalsRepository) private readonly approvals: ApprovalsRepository,
  ) {}

  async holdFor(caller: Principal, facts: OrderFacts): Promise<ApprovalHold | undefined> {
    const rules = await this.rules.forTenant(caller.tenantId);
    const reasons = approvalReasons(rules, facts);
    if (reasons.length === 0) return undefined;
    const held = rules.filter((r) => reasons.some((h) => h.rule === r.name));
    const minutes = Math.min(...held.map((r) => r.expiresAfterMinutes));
    return {
      approvalId: randomUUID(),
      reasons,
      why: reasons.map((r) => `${r.message} (rule ${r.rule})`).join('; '),
      expiresAt: new Date(Math.floor(Date.now() / 1000) * 1000 + minutes * 60_000),
      facts,
    };
  }

  /** What the deployment's `approval.requested` event (and so its webhook) carries. */
  eventData(caller: Principal, hold: ApprovalHold): Record<string, unknown> {
    return {
      approvalId: hold.approvalId,
      orderedBy: caller.userName,
      monthlyCost: hold.facts.monthly,
      reasons: hold.reasons,
      expiresAt: hold.expiresAt.toISOString(),
    };
  }

  /** The approval, beside the waiting row, in the order's transaction. */
  async open(em: EntityManager, caller: Principal, d: DeploymentEntity, hold: ApprovalHold): Promise<void> {
    await this.approvals.insert(em, {
      id: hold.approvalId,
      tenantId: d.tenantId,
      deploymentId: d.id,
      reasons: hold.reasons,
      requestedBy: caller.userId,
      requestedByName: caller.userName,
      monthlyCost: hold.facts.monthly,
      expiresAt: hold.expiresAt,
    });
  }
}
