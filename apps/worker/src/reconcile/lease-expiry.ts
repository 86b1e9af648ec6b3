import { Inject, Injectable, Logger } from '@nestjs/common';
import { tenantOnly } from '@switchyard/core/database';
import { DeploymentLifecycle, DeploymentRepository } from '@switchyard/core/deployments';

// deployments expired per round; the rest wait for the next one
const PER_ROUND = 100;

/**
 * Terminates deployments whose lease (`leaseHours` from the order, counted from the order's time)
 * ran out, the way a person's terminate would (DeploymentLifecycle.expireLease): state, event and
 * the terminate job in one commit each.
 */
@Injectable()
export class LeaseExpiry {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DeploymentLifecycle) private readonly lifecycle: DeploymentLifecycle,
  ) {}

  async run(): Promise<string[]> {
    const due = await this.deployments.findLeasesDueSystemWide(PER_ROUND);
    const ended: string[] = [];
    for (const { id, tenantId } of due) {
      const d = await this.deployments.transaction((em) =>
        this.lifecycle.expireLease(em, tenantOnly(tenantId), id),
      );
      // null: a person's action came first
      if (!d) continue;
      this.logger.log({ deployment: id, leaseHours: d.leaseHours }, 'lease expired; terminating');
      ended.push(id);
    }
    return ended;
  }
}
