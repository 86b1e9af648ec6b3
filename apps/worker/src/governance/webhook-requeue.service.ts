import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobName, JobQueue } from '@switchyard/core/queue';
import { DataSource } from 'typeorm';

// a delivery this late past its next try has lost its job (its attempts spent on errors that were
// not the receiver's, e.g. the database away); one round re-queues at most this many
const LATE = `interval '5 minutes'`;
const PER_ROUND = 100;

/**
 * Gives a pending webhook delivery whose job is gone a new one (a reconcile round's part). The
 * job id carries the attempts made, so a round that runs again before the job does adds nothing.
 */
@Injectable()
export class WebhookRequeue {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  async run(): Promise<number> {
    const late: { id: string; subscriptionId: string; tenantId: string; attempts: number }[] =
      await this.db.query(
        `SELECT id, subscription_id AS "subscriptionId", tenant_id AS "tenantId", attempts FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at < now() - ${LATE}
        ORDER BY next_attempt_at LIMIT $1`,
        [PER_ROUND],
      );
    for (const d of late) {
      await this.jobs.add(
        JobName.WebhookDelivery,
        { deliveryId: d.id, subscriptionId: d.subscriptionId, tenantId: d.tenantId },
        { jobId: `webhook.${d.id}.requeued-${d.attempts}` },
      );
    }
    if (late.length)
      this.logger.warn({ deliveries: late.length }, 'webhook deliveries without a job re-queued');
    return late.length;
  }
}
