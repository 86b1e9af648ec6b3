import { Module } from '@nestjs/common';
import { WebhookOutbox } from './webhook-outbox.js';

/** The outbox, for the API and the worker alike (the queue comes from QueueModule). */
@Module({ providers: [WebhookOutbox], exports: [WebhookOutbox] })
export class WebhooksModule {}
