import { Inject, Injectable, Logger } from '@nestjs/common';
import { allowedActions, DeploymentEntity, DeploymentEventEntity, JobName, JobQueue } from '@switchyard/core';
import { DataSource } from 'typeorm';

/**
 * Terminates deployments whose lease (`leaseHours` from the order, counted from the order's time)
 * ran out, the way a user's terminate would: state, event and the terminate job in one commit.
 */
@Injectable()
export class LeaseExpiry {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  async run(): Promise<string[]> {
    const due: { id: string }[] = await this.db.query(
      `SELECT id FROM deployments
        WHERE lease_hours IS NOT NULL AND state IN ('running', 'stopped')
          AND created_at + make_interval(hours => lease_hours) <= now()
        ORDER BY created_at LIMIT 100`,
    );
    const ended: string[] = [];
    for (const { id } of due) {
      if (await this.expire(id)) ended.push(id);
    }
    return ended;
  }

  private expire(id: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const d = await em.findOne(DeploymentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      // a user's action may have come first
      if (!d || !allowedActions(d.state).includes('terminate')) return false;
      const seq = d.seq + 1;
      await em.update(
        DeploymentEntity,
        { id },
        { state: 'terminating', step: 'terminate', seq, failure: null },
      );
      await em.insert(DeploymentEventEntity, {
        deploymentId: id,
        type: 'lease.expired',
        message: `lease of ${d.leaseHours} h ran out; terminating`,
        data: { leaseHours: d.leaseHours, orderedAt: d.createdAt.toISOString() } as never,
      });
      await this.jobs.add(
        JobName.DeploymentStep,
        { deploymentId: id, tenantId: d.tenantId, step: 'terminate', seq },
        { jobId: `${id}.${seq}.terminate`, attempts: 5 },
      );
      this.logger.log({ deployment: id, leaseHours: d.leaseHours }, 'lease expired; terminating');
      return true;
    });
  }
}
