import { isIP } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { SecretBox } from '@switchyard/core/crypto';
import { JobName, type JobPayloads } from '@switchyard/core/queue';
import { AllowedTargets, signWebhook, WEBHOOK_HEADERS } from '@switchyard/core/webhooks';
import { DataSource, type EntityManager } from 'typeorm';
import { HandlesJob, RetryLater, type JobContext, type JobHandler } from '../jobs/job-handler.js';
import { webhookBackoffMs } from './webhook-backoff.util.js';
import { WebhookSender, type SendResult } from './webhook-sender.js';

interface Delivery {
  id: string;
  subscriptionId: string;
  eventType: string;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  url: string;
  secretKeyId: string;
  secretData: string;
}

/**
 * Sends one webhook delivery, signed (see WEBHOOK_HEADERS). A 2xx ends it delivered; anything else
 * (another status, no answer, a refused target) is logged on the row and tried again after a
 * doubling pause (WEBHOOK_RETRY_*), until the attempts are spent and it ends failed. Deliveries
 * are at least once: a worker that dies after sending sends again, with the same delivery id.
 */
@Injectable()
@HandlesJob(JobName.WebhookDelivery)
export class WebhookDeliveryHandler implements JobHandler<JobName.WebhookDelivery> {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(WebhookSender) private readonly sender: WebhookSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(payload: JobPayloads[JobName.WebhookDelivery], ctx: JobContext): Promise<void> {
    const [d]: Delivery[] = await this.db.query(
      `SELECT x.id, x.subscription_id AS "subscriptionId", x.event_type AS "eventType", x.payload, x.status,
              x.attempts, w.url, w.secret_key_id AS "secretKeyId", w.secret_data AS "secretData"
         FROM webhook_deliveries x JOIN webhook_subscriptions w ON w.id = x.subscription_id
        WHERE x.id = $1 AND x.tenant_id = $2`,
      [payload.deliveryId, payload.tenantId],
    );
    if (!d) {
      // its subscription was deleted (and its deliveries with it): nothing to send
      const [subscribed] = await this.db.query(`SELECT 1 FROM webhook_subscriptions WHERE id = $1`, [
        payload.subscriptionId,
      ]);
      if (!subscribed) return;
      // queued just before the commit that writes the row: wait for it (bounded by the queue's window)
      throw new RetryLater(`delivery ${payload.deliveryId} is not committed yet`);
    }
    if (d.status !== 'pending') return;

    const result = await this.attempt(d);
    const attempt = d.attempts + 1;
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.config.worker.webhookRetry;
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const entry = { at: new Date().toISOString(), ...result };
    if (ok || attempt >= maxAttempts) {
      await ctx.commit((em) => this.record(em, d, entry, ok ? 'delivered' : 'failed', null));
      this.logger.log(
        { delivery: d.id, event: d.eventType, attempt, ...result },
        ok ? 'delivered' : 'gave up',
      );
      return;
    }
    const delayMs = webhookBackoffMs(attempt, baseDelayMs, maxDelayMs);
    await this.record(this.db.manager, d, entry, 'pending', delayMs);
    throw new RetryLater(`attempt ${attempt} got ${result.statusCode ?? result.error}`, delayMs);
  }

  private async attempt(d: Delivery): Promise<SendResult> {
    const allowed = new AllowedTargets(
      (
        (await this.db.query(`SELECT allowed_targets AS a FROM webhook_settings WHERE id`)) as {
          a: string[];
        }[]
      )[0]?.a ?? [],
    );
    // an address written in the URL never reaches the lookup: judged here; names at connect time
    const host = new URL(d.url).hostname.replace(/^\[|\]$/g, '');
    const refused = isIP(host) ? allowed.refusal(host, host) : undefined;
    if (refused) return { statusCode: null, error: refused, durationMs: 0 };
    const secret = this.box.open({ keyId: d.secretKeyId, data: d.secretData }, d.subscriptionId);
    const body = JSON.stringify(d.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
      [WEBHOOK_HEADERS.event]: d.eventType,
      [WEBHOOK_HEADERS.delivery]: d.id,
    };
    return this.sender.send(d.url, headers, body, allowed, this.config.worker.webhookRetry.timeoutMs);
  }

  /** The attempt on the row (once: only if no other delivery of the job counted it first). */
  private async record(
    em: EntityManager,
    d: Delivery,
    entry: { at: string } & SendResult,
    status: 'pending' | 'delivered' | 'failed',
    delayMs: number | null,
  ): Promise<void> {
    await em.query(
      `UPDATE webhook_deliveries
          SET status = $3::text, attempts = attempts + 1, log = log || $4::jsonb, last_status_code = $5,
              last_error = $6, next_attempt_at = CASE WHEN $7::int IS NULL THEN NULL
                                                     ELSE now() + make_interval(secs => $7::int / 1000.0) END,
              delivered_at = CASE WHEN $3::text = 'delivered' THEN now() END,
              updated_at = date_trunc('milliseconds', now())
        WHERE id = $1 AND attempts = $2`,
      [d.id, d.attempts, status, JSON.stringify([entry]), entry.statusCode, entry.error, delayMs],
    );
  }
}
