import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { FeedController } from './feed/feed.controller.js';
import { FeedService } from './feed/feed.service.js';
import { WebhookWriteHandler } from './webhooks/commands.js';
import { WebhookDeliveries } from './webhooks/webhook-deliveries.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { WebhookOutbox } from './webhooks/webhook-outbox.js';
import { WebhookRegistry } from './webhooks/webhook-registry.js';
import { WEBHOOK_SETTINGS, webhookSettingsFrom } from './webhooks/webhook-settings.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';

/** Integrations (issue 13): the event feed and the webhooks' outbox. */
@Module({
  imports: [CqrsModule],
  controllers: [FeedController, WebhooksController],
  providers: [
    FeedService,
    { provide: WEBHOOK_SETTINGS, useFactory: () => webhookSettingsFrom(process.env) },
    WebhookRegistry,
    WebhookDispatcher,
    WebhookOutbox,
    WebhookDeliveries,
    WebhookWriteHandler,
  ],
})
export class IntegrationsModule {}
