import { Inject, Injectable, Logger } from '@nestjs/common';
import { tenantOnly } from '@switchyard/core/database';
import { DeploymentLifecycle, DeploymentRepository } from '@switchyard/core/deployments';
import { DataSource } from 'typeorm';
import { LEASES_TO_WARN_SQL, RECORD_LEASE_WARNING_SQL } from './lease-warnings.sql.js';

// deployments expired per round; the rest wait for the next one
const PER_ROUND = 100;

/**
 * Warns deployments whose lease ends soon (a `lease.expiring` event, once per lease end, at the
 * tenant's lead time) and terminates deployments whose lease (`leaseHours` from the order, counted from the order's time)
 * ran out, the way a person's terminate would (DeploymentLifecycle.expireLease): state, event and
 * the terminate job in one commit each.
 */
@Injectable()
export class LeaseExpiry {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DeploymentLifecycle) private readonly lifecycle: DeploymentLifecycle,
    @Inject(DataSource) private readonly db: DataSource,
  ) {}

  /** The deployments warned in this round. */
  async warn(): Promise<string[]> {
    const due = await this.db.query<{ id: string; leaseHours: number; expiresAt: Date }[]>(
      LEASES_TO_WARN_SQL,
      [PER_ROUND],
    );
    const warned: string[] = [];
    for (const { id, leaseHours, expiresAt } of due) {
      const first = await this.deployments.transaction(async (em) => {
        const rows = await em.query<unknown[]>(RECORD_LEASE_WARNING_SQL, [id, expiresAt]);
        if (rows.length === 0) return false;
        const minutes = Math.max(0, Math.round((expiresAt.getTime() - Date.now()) / 60_000));
        await this.deployments.addEvent(em, id, {
          type: 'lease.expiring',
          message: `lease of ${leaseHours} h ends at ${expiresAt.toISOString()} (in ${minutes} min): extend it to keep the deployment`,
          data: { leaseHours, leaseExpiresAt: expiresAt.toISOString(), minutesLeft: minutes },
        });
        return true;
      });
      if (first) warned.push(id);
    }
    return warned;
  }

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
