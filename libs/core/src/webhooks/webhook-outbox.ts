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
    await this.queue(rows, tenantId);
    return event;
  }

  /**
   * A deployment's event (every one the lifecycle and the steps write: states, steps, approvals,
   * leases, drift…) to the webhooks of the deployment's tenant that want its type; the body's
   * `data` is the event's, with the deployment (id, name, blueprint) and the event's message.
   */
  async emitDeploymentEvent(
    em: EntityManager,
    deploymentId: string,
    event: { type: string; message: string; data: Record<string, unknown> },
  ): Promise<void> {
    const rows: { id: string; subscriptionId: string; tenantId: string }[] = await em.query(
      `INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, event_type, payload, next_attempt_at)
       SELECT s.tenant_id, s.id, $6::uuid, $2::text,
              jsonb_build_object('id', $6::text, 'type', $2::text, 'tenantId', d.tenant_id, 'createdAt', $3::text,
                'data', $4::jsonb || jsonb_build_object('message', $5::text, 'deployment', jsonb_build_object(
                  'id', d.id, 'name', d.name, 'blueprint', d.blueprint_name || '@' || d.blueprint_version))),
              now()
         FROM deployments d JOIN webhook_subscriptions s ON s.tenant_id = d.tenant_id
        WHERE d.id = $1 AND ($2::text = ANY (s.event_types) OR '*' = ANY (s.event_types))
       RETURNING id, subscription_id AS "subscriptionId", tenant_id AS "tenantId"`,
      [
        deploymentId,
        event.type,
        new Date().toISOString(),
        JSON.stringify(event.data),
        event.message,
        randomUUID(),
      ],
    );
    for (const row of rows) await this.queue([row], row.tenantId);
  }

  // one job per delivery, queued last in the caller's transaction: a repeated add is a no-op
  private async queue(rows: { id: string; subscriptionId: string }[], tenantId: string): Promise<void> {
    for (const { id, subscriptionId } of rows) {
      const payload = { deliveryId: id, subscriptionId, tenantId };
      await this.jobs.add(JobName.WebhookDelivery, payload, { jobId: `webhook.${id}` });
    }
  }
}
