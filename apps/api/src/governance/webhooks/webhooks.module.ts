import { Module } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhook subscriptions, their delivery log and the admin's target settings (issue 19). */
@Module({
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhooksService],
})
export class WebhookSubscriptionsModule {}
