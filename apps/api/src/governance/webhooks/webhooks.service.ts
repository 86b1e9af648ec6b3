import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { maskSecret, SecretBox } from '@switchyard/core/crypto';
import { inScope, UnitOfWork } from '@switchyard/core/database';
import { AllowedTargets, isAllowedTargetEntry, targetRefusal } from '@switchyard/core/webhooks';
import { AuditService } from '../../audit/audit.service.js';
import type { Principal } from '../../auth/principal.js';
import { tenantScope } from '../../auth/tenant-scope.util.js';
import { AppException } from '../../common/app.exception.js';
import { mapPage, type Page } from '../../common/pagination.js';
import type {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookSettingsDto,
} from './webhooks.dto.js';
import { WebhooksRepository, type DeliveryRow, type WebhookRow } from './webhooks.repository.js';

/**
 * Webhook subscriptions of a tenant (operators theirs, admins any): a URL, the event types it
 * wants and a signing secret, shown once and sealed at rest. A URL is refused unless it is http(s)
 * and reaches a public address, or an internal one the admin allowed (the worker checks again at
 * every call).
 */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(WebhooksRepository) private readonly repo: WebhooksRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
  ) {}

  async create(caller: Principal, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const tenantId = dto.tenantId ?? caller.tenantId;
    if (!inScope(tenantScope(caller), tenantId)) throw AppException.notFound('tenant');
    const refusal = await targetRefusal(dto.url, new AllowedTargets(await this.repo.allowedTargets()));
    if (refusal) throw AppException.invalid([{ path: 'url', message: refusal }]);
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.box.seal(secret, id);
    return this.uow.run(async (em) => {
      const saved = await this.repo.insert(em, {
        id,
        tenantId,
        url: dto.url,
        eventTypes: [...new Set(dto.eventTypes)],
        secretKeyId: sealed.keyId,
        secretData: sealed.data,
        secretHint: maskSecret(secret),
      });
      const after = toWebhookDto(saved);
      await this.audit.record(em, caller, {
        tenantId,
        action: 'webhook.create',
        resourceType: 'webhook',
        resourceId: id,
        after,
      });
      return { ...after, secret };
    });
  }

  async list(caller: Principal, q: { cursor?: string; limit?: number }): Promise<Page<WebhookDto>> {
    return mapPage(await this.repo.list(tenantScope(caller), q.cursor, q.limit), toWebhookDto);
  }

  async delete(caller: Principal, id: string): Promise<void> {
    await this.uow.run(async (em) => {
      const w = await this.repo.find(tenantScope(caller), id, em);
      if (!w) throw AppException.notFound('webhook');
      await this.repo.delete(em, id);
      await this.audit.record(em, caller, {
        tenantId: w.tenantId,
        action: 'webhook.delete',
        resourceType: 'webhook',
        resourceId: id,
        before: toWebhookDto(w),
      });
    });
  }

  async deliveries(
    caller: Principal,
    id: string,
    q: { cursor?: string; limit?: number },
  ): Promise<Page<WebhookDeliveryDto>> {
    if (!(await this.repo.find(tenantScope(caller), id))) throw AppException.notFound('webhook');
    return mapPage(await this.repo.deliveries(id, q.cursor, q.limit), toDeliveryDto);
  }

  async settings(): Promise<WebhookSettingsDto> {
    return { allowedTargets: await this.repo.allowedTargets() };
  }

  async setSettings(caller: Principal, dto: WebhookSettingsDto): Promise<WebhookSettingsDto> {
    const bad = dto.allowedTargets
      .map((entry, i) => ({ entry, i }))
      .filter(({ entry }) => !isAllowedTargetEntry(entry));
    if (bad.length) {
      throw AppException.invalid(
        bad.map(({ i }) => ({
          path: `allowedTargets.${i}`,
          message: 'must be a host name, an IP address or a CIDR block (10.0.0.0/8)',
        })),
      );
    }
    return this.uow.run(async (em) => {
      const before = await this.repo.allowedTargets(em, true);
      const allowedTargets = [...new Set(dto.allowedTargets)];
      await this.repo.setAllowedTargets(em, allowedTargets);
      await this.audit.record(em, caller, {
        tenantId: caller.tenantId,
        action: 'webhook-settings.update',
        resourceType: 'webhook-settings',
        resourceId: 'global',
        before: { allowedTargets: before },
        after: { allowedTargets },
      });
      return { allowedTargets };
    });
  }
}

function toWebhookDto(w: WebhookRow): WebhookDto {
  return {
    id: w.id,
    tenantId: w.tenantId,
    url: w.url,
    eventTypes: w.eventTypes,
    secret: w.secretHint,
    createdAt: w.createdAt.toISOString(),
  };
}

function toDeliveryDto(x: DeliveryRow): WebhookDeliveryDto {
  return {
    id: x.id,
    subscriptionId: x.subscriptionId,
    eventId: x.eventId,
    eventType: x.eventType,
    status: x.status,
    attempts: x.attempts,
    lastStatusCode: x.lastStatusCode,
    lastError: x.lastError,
    nextAttemptAt: x.status === 'pending' && x.nextAttemptAt ? x.nextAttemptAt.toISOString() : null,
    deliveredAt: x.deliveredAt ? x.deliveredAt.toISOString() : null,
    log: x.log,
    createdAt: x.createdAt.toISOString(),
  };
}
