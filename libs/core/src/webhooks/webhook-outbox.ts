import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobQueue } from '../queue/job-queue.js';
import { JobName } from '../queue/jobs.js';

/** What a receiver gets as the body of every delivery. */
export interface WebhookEvent {
  id: string;
  type: string;
  tenantId: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/**
 * Where governance (and anything else) announces events to a tenant's webhooks, by type: one
 * delivery row per subscription that wants the type (or `*`), written in the caller's
 * transaction, and one `WebhookDelivery` job per row queued last (as the deployment lifecycle
 * does), so a rolled-back change announces nothing; a job that runs before the commit waits for it.
 */
@Injectable()
export class WebhookOutbox {
  constructor(@Inject(JobQueue) private readonly jobs: JobQueue) {}

  async emit(
    em: EntityManager,
    tenantId: string,
    type: string,
    data: Record<string, unknown>,
  ): Promise<WebhookEvent> {
    const event: WebhookEvent = {
      id: randomUUID(),
      type,
      tenantId,
      createdAt: new Date().toISOString(),
      data,
    };
    const rows: { id: string; subscriptionId: string }[] = await em.query(
      `INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, event_type, payload, next_attempt_at)
       SELECT s.tenant_id, s.id, $2::uuid, $3::text, $4::jsonb, now() FROM webhook_subscriptions s
        WHERE s.tenant_id = $1 AND ($3::text = ANY (s.event_types) OR '*' = ANY (s.event_types))
       RETURNING id, subscription_id AS "subscriptionId"`,
      [tenantId, event.id, type, JSON.stringify(event)],
    );
    for (const { id, subscriptionId } of rows) {
      // one job per delivery: a repeated add is a no-op
      const payload = { deliveryId: id, subscriptionId, tenantId };
      await this.jobs.add(JobName.WebhookDelivery, payload, { jobId: `webhook.${id}` });
    }
    return event;
  }
}
