import { Inject, Injectable } from '@nestjs/common';
import type { ExpandedBlueprint, ParameterValue, Placement } from '@switchyard/blueprints';
import type { DeploymentEntity, ScaleRequest } from '@switchyard/core/deployments';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import { LeasesService } from './leases/leases.service.js';
import { PlacementChooser } from './placement/placement-chooser.service.js';
import { PlacementRepository, type PlacementExplanation } from './placement/placement.repository.js';
import { QuotaGate } from './quotas/quota-gate.service.js';

/** Where an order goes: its own placement (within the policy), or the one chosen and why. */
export interface PlacedOrder {
  placement: Placement;
  explanation?: PlacementExplanation;
}

/**
 * Governance in the order path: the placement (the order's own within the tenant's placement
 * policy, or chosen by it), then, in the transaction that accepts an order or a scale, the lease
 * within the tenant's maximum, the quota reserved, the placement decision recorded. A refusal
 * throws, and nothing is written.
 */
@Injectable()
export class GovernanceGate {
  constructor(
    @Inject(QuotaGate) private readonly quotas: QuotaGate,
    @Inject(LeasesService) private readonly leases: LeasesService,
    @Inject(PlacementChooser) private readonly chooser: PlacementChooser,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
  ) {}

  async place(
    caller: Principal,
    blueprint: ExpandedBlueprint,
    parameters: Readonly<Record<string, ParameterValue>>,
    placement: Placement | undefined,
  ): Promise<PlacedOrder> {
    if (!placement) return this.chooser.choose(caller, blueprint, parameters);
    await this.chooser.check(caller, blueprint, placement);
    return { placement };
  }

  async admitOrder(em: EntityManager, d: DeploymentEntity, placed?: PlacedOrder): Promise<void> {
    await this.leases.checkOrder(em, d);
    await this.quotas.reserveOrder(em, d);
    if (placed?.explanation) await this.placements.record(em, d.id, placed.explanation);
  }

  async admitScale(em: EntityManager, d: DeploymentEntity, scale: ScaleRequest): Promise<void> {
    await this.quotas.reserveScale(em, d, scale);
  }
}
