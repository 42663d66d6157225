import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { newEntityId } from '../../platform/idempotency/entity-id.js';
import { AggregateRepository } from '../../platform/write-model/aggregate-repository.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { webhookAggregate, type WebhookEvent, webhookStream } from './webhook.aggregate.js';
import { WebhookRegistry } from './webhook-registry.js';
import { type WebhookListing } from './webhook-views.js';

/** Every webhook write: register one (url, event types, secret), or delete one. */
export type WebhookWrite =
  | { readonly kind: 'register'; readonly url: string; readonly types: readonly string[]; readonly secret: string }
  | { readonly kind: 'delete'; readonly webhookId: string };

/** The message the controller sends on the CommandBus for any webhook write; answers the webhook (register) or null. */
export class ExecuteWebhookWrite extends Command<WebhookListing | null> {
  constructor(
    readonly write: WebhookWrite,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** Appends to the webhook's stream, then records it in the registry at once (the outbox would, a little later). */
@CommandHandler(ExecuteWebhookWrite)
export class WebhookWriteHandler implements ICommandHandler<ExecuteWebhookWrite> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly registry: WebhookRegistry,
  ) {}

  async execute({ write, metadata }: ExecuteWebhookWrite): Promise<WebhookListing | null> {
    if (write.kind === 'delete') {
      const executed = await this.repository.execute(webhookAggregate, webhookStream(write.webhookId), { type: 'DeleteWebhook', webhookId: write.webhookId }, metadata);
      const deleted = executed.events.find((event) => event.type === 'WebhookDeleted');
      if (deleted?.type === 'WebhookDeleted') await this.registry.deleted(write.webhookId, deleted.data.deletedAt);
      return null;
    }
    const webhookId = newEntityId(metadata, 'webhook');
    const command = { type: 'RegisterWebhook' as const, webhookId, url: write.url, types: write.types, secret: write.secret };
    const executed = await this.repository.execute(webhookAggregate, webhookStream(webhookId), command, metadata);
    const events: readonly WebhookEvent[] = executed.alreadyApplied?.events ?? executed.events;
    const registered = events.find((event) => event.type === 'WebhookRegistered');
    const position = executed.position ?? executed.alreadyApplied?.position;
    if (registered?.type !== 'WebhookRegistered' || position === undefined) throw new Error(`webhook ${webhookId} was not registered`);
    await this.registry.registered(registered.data, position);
    const { url, types, registeredAt } = registered.data;
    return { webhookId, url, types: [...types], createdAt: registeredAt };
  }
}
