import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@switchyard/core/database';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { keysetPage } from '../../common/keyset-page.util.js';
import type { Page } from '../../common/pagination.js';

export interface WebhookRow {
  id: string;
  tenantId: string;
  url: string;
  eventTypes: string[];
  secretHint: string;
  createdAt: Date;
}

export interface DeliveryRow {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  log: { at: string; statusCode: number | null; error: string | null; durationMs: number }[];
  createdAt: Date;
}

const COLUMNS = `w.id, w.tenant_id AS "tenantId", w.url, w.event_types AS "eventTypes",
  w.secret_hint AS "secretHint", w.created_at AS "createdAt"`;
const DELIVERY_COLUMNS = `x.id, x.subscription_id AS "subscriptionId", x.event_id AS "eventId",
  x.event_type AS "eventType", x.status, x.attempts, x.last_status_code AS "lastStatusCode",
  x.last_error AS "lastError", x.next_attempt_at AS "nextAttemptAt", x.delivered_at AS "deliveredAt",
  x.log, x.created_at AS "createdAt"`;

/** Webhook subscriptions, their deliveries and the admin's settings; reads take the caller's scope. */
@Injectable()
export class WebhooksRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async insert(
    em: EntityManager,
    w: Omit<WebhookRow, 'createdAt'> & { secretKeyId: string; secretData: string },
  ): Promise<WebhookRow> {
    const rows: WebhookRow[] = await em.query(
      `INSERT INTO webhook_subscriptions AS w (id, tenant_id, url, event_types, secret_key_id, secret_data, secret_hint)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [w.id, w.tenantId, w.url, w.eventTypes, w.secretKeyId, w.secretData, w.secretHint],
    );
    return rows[0]!;
  }

  list(scope: TenantScope, cursor: string | undefined, limit: number | undefined): Promise<Page<WebhookRow>> {
    const qb = this.db
      .createQueryBuilder()
      .select(COLUMNS)
      .from('webhook_subscriptions', 'w') as SelectQueryBuilder<WebhookRow>;
    if (!scope.anyTenant) qb.where('w.tenant_id = :tid', { tid: scope.tenantId });
    return keysetPage(qb, { columns: ['w.created_at', 'w.id'], rows: 'raw' }, cursor, limit);
  }

  async find(
    scope: TenantScope,
    id: string,
    em: EntityManager = this.db.manager,
  ): Promise<WebhookRow | undefined> {
    const rows: WebhookRow[] = await em.query(
      `SELECT ${COLUMNS} FROM webhook_subscriptions w WHERE w.id = $1 AND ($2::uuid IS NULL OR w.tenant_id = $2)`,
      [id, scope.anyTenant ? null : scope.tenantId],
    );
    return rows[0];
  }

  async delete(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM webhook_subscriptions WHERE id = $1`, [id]);
  }

  /** A subscription's deliveries, newest first (its tenant checked by the caller). */
  deliveries(
    subscriptionId: string,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<DeliveryRow>> {
    const qb = this.db
      .createQueryBuilder()
      .select(DELIVERY_COLUMNS)
      .from('webhook_deliveries', 'x')
      .where('x.subscription_id = :sid', { sid: subscriptionId }) as SelectQueryBuilder<DeliveryRow>;
    return keysetPage(qb, { columns: ['x.created_at', 'x.id'], order: 'DESC', rows: 'raw' }, cursor, limit);
  }

  /** The admin's list; `lock` holds it until the transaction ends (a change reads it so). */
  async allowedTargets(em: EntityManager = this.db.manager, lock = false): Promise<string[]> {
    const rows: { allowed: string[] }[] = await em.query(
      `SELECT allowed_targets AS allowed FROM webhook_settings WHERE id ${lock ? 'FOR UPDATE' : ''}`,
    );
    return rows[0]?.allowed ?? [];
  }

  async setAllowedTargets(em: EntityManager, allowed: string[]): Promise<void> {
    await em.query(
      `UPDATE webhook_settings SET allowed_targets = $1, updated_at = date_trunc('milliseconds', now()) WHERE id`,
      [allowed],
    );
  }
}
