import { Inject, Injectable } from '@nestjs/common';

import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { READ_STORE, type ReadStore } from '../../platform/read-store/read-store.port.js';
import { type FeedItem } from '../feed/feed-item.js';
import { type WebhookRegistration, webhookStream } from './webhook.aggregate.js';
import { WEBHOOKS_VIEW, type WebhookDocument } from './webhook-views.js';

/** A webhook the outbox knows: its registration (secret included) and where in the log it was registered. */
export interface KnownWebhook {
  readonly registration: WebhookRegistration;
  /** Position of WebhookRegistered: events after it are delivered. */
  readonly position: string;
  readonly deleted: boolean;
}

/**
 * The webhooks, in memory for the outbox and in the `webhooks` view for the API. Both the command handler
 * (at once, so a list shows a webhook as soon as it is created) and the outbox (in log order, so nothing is
 * lost when the service stops between an append and the view write) record every registration and deletion;
 * recording one twice changes nothing, and a deletion is never undone.
 */
@Injectable()
export class WebhookRegistry {
  private readonly known = new Map<string, KnownWebhook>();

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Every webhook of the view, with its secret read from its stream. */
  async load(): Promise<void> {
    await this.readStore.ensureView(WEBHOOKS_VIEW);
    for await (const document of this.readStore.scan<WebhookDocument>(WEBHOOKS_VIEW.name)) {
      const registration = await this.registrationOf(document.webhookId);
      if (registration) this.known.set(document.webhookId, { registration, position: document.position, deleted: document.deleted });
    }
  }

  get(webhookId: string): KnownWebhook | undefined {
    return this.known.get(webhookId);
  }

  /** The live webhooks registered before this event that take its type. */
  matching(item: Pick<FeedItem, 'position' | 'type'>): KnownWebhook[] {
    const found: KnownWebhook[] = [];
    for (const hook of this.known.values()) {
      if (hook.deleted || this.store.comparePositions(hook.position, item.position) >= 0) continue;
      if (hook.registration.types.includes('*') || hook.registration.types.includes(item.type)) found.push(hook);
    }
    return found;
  }

  /** A webhook event of the log (the outbox's path). */
  async apply(event: RecordedEvent): Promise<void> {
    if (event.type === 'WebhookRegistered') await this.registered(event.data as WebhookRegistration, event.position);
    else if (event.type === 'WebhookDeleted') {
      const { webhookId, deletedAt } = event.data as { webhookId: string; deletedAt: string };
      await this.deleted(webhookId, deletedAt);
    }
  }

  async registered(registration: WebhookRegistration, position: string): Promise<void> {
    if (this.known.has(registration.webhookId)) return;
    this.known.set(registration.webhookId, { registration, position, deleted: false });
    const { webhookId, url, types, registeredAt } = registration;
    const document: WebhookDocument = { id: webhookId, position, webhookId, url, types: [...types], createdAt: registeredAt, deleted: false, deletedAt: null };
    await this.readStore.writeBatch(WEBHOOKS_VIEW.name, [{ type: 'upsert', document }]);
  }

  async deleted(webhookId: string, deletedAt: string): Promise<void> {
    const hook = this.known.get(webhookId);
    if (hook?.deleted) return;
    if (hook) this.known.set(webhookId, { ...hook, deleted: true });
    else {
      const registration = await this.registrationOf(webhookId);
      if (registration === undefined) return;
      this.known.set(webhookId, { registration, position: '0', deleted: true });
    }
    const current = this.known.get(webhookId)!;
    await this.readStore.writeBatch(WEBHOOKS_VIEW.name, [
      { type: 'patch', id: webhookId, position: current.position, set: { deleted: true, deletedAt }, upsert: true, setOnInsert: documentFields(current) },
    ]);
  }

  private async registrationOf(webhookId: string): Promise<WebhookRegistration | undefined> {
    for await (const event of this.store.readStream(webhookStream(webhookId), { maxCount: 1 })) {
      if (event.type === 'WebhookRegistered') return event.data as WebhookRegistration;
    }
    return undefined;
  }
}

function documentFields(hook: KnownWebhook): Record<string, unknown> {
  const { webhookId, url, types, registeredAt } = hook.registration;
  return { webhookId, url, types: [...types], createdAt: registeredAt };
}
