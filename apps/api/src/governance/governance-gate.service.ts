import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentEntity, ScaleRequest } from '@switchyard/core/deployments';
import type { EntityManager } from 'typeorm';
import { LeasesService } from './leases/leases.service.js';
import { QuotaGate } from './quotas/quota-gate.service.js';

/**
 * Governance in the order path, in the transaction that accepts an order or a scale: the lease
 * within the tenant's maximum, the quota reserved. A refusal throws, and nothing is written.
 */
@Injectable()
export class GovernanceGate {
  constructor(
    @Inject(QuotaGate) private readonly quotas: QuotaGate,
    @Inject(LeasesService) private readonly leases: LeasesService,
  ) {}

  async admitOrder(em: EntityManager, d: DeploymentEntity): Promise<void> {
    await this.leases.checkOrder(em, d);
    await this.quotas.reserveOrder(em, d);
  }

  async admitScale(em: EntityManager, d: DeploymentEntity, scale: ScaleRequest): Promise<void> {
    await this.quotas.reserveScale(em, d, scale);
  }
}
