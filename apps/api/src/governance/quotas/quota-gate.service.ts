import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentEntity, ScaleRequest } from '@switchyard/core/deployments';
import { planAmounts, QuotaLedger, type QuotaPlan } from '@switchyard/core/governance';
import type { EntityManager } from 'typeorm';
import { quotaExceeded } from './quota-exceeded.util.js';

/**
 * The quota check of the order path: an order or a scale reserves what it will take in the
 * transaction that accepts it, or is refused (409 quota.exceeded) and nothing is written.
 * Releasing is the lifecycle's: a deployment coming to rest holds what it really has.
 */
@Injectable()
export class QuotaGate {
  constructor(@Inject(QuotaLedger) private readonly ledger: QuotaLedger) {}

  /** A new deployment reserves its whole plan. */
  async reserveOrder(em: EntityManager, d: DeploymentEntity): Promise<void> {
    const need = planAmounts(d.plan as unknown as QuotaPlan);
    const refusals = await this.ledger.reserve(em, d.tenantId, d.id, need);
    if (refusals.length) throw quotaExceeded(refusals, 'order');
  }

  /**
   * A scale reserves the larger of the tier's old and new counts until it is done (instances of
   * a scale-down are removed before the step ends; those of a scale-up appear during it).
   */
  async reserveScale(em: EntityManager, d: DeploymentEntity, scale: ScaleRequest): Promise<void> {
    const plan = d.plan as unknown as QuotaPlan;
    const need = planAmounts(plan, (t) => (t.tier === scale.tier ? Math.max(t.count, scale.count) : t.count));
    const refusals = await this.ledger.reserve(em, d.tenantId, d.id, need, { keepHeld: true });
    if (refusals.length) throw quotaExceeded(refusals, 'scale');
  }
}
