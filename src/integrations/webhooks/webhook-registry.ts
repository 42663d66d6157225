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
  /** Per webhook, the view write in progress: the command path and the outbox record the same registration. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Every webhook of the view, with its secret read from its stream. */
  async load(): Promise<void> {
    await this.readStore.ensureView(WEBHOOKS_VIEW);
    for await (const document of this.readStore.scan<WebhookDocument>(WEBHOOKS_VIEW.name)) {
      const hook = await this.registrationOf(document.webhookId);
      if (hook) this.known.set(document.webhookId, { ...hook, deleted: document.deleted });
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

  /**
   * Recorded in the view first (a document created only if missing: never one a deletion changed), then in
   * memory: a failed write leaves the webhook unknown here, so the outbox records it when it meets the event.
   */
  async registered(registration: WebhookRegistration, position: string): Promise<void> {
    await this.oneAtATime(registration.webhookId, () => this.register(registration, position));
  }

  async deleted(webhookId: string, deletedAt: string): Promise<void> {
    await this.oneAtATime(webhookId, () => this.delete(webhookId, deletedAt));
  }

  /**
   * The command path and the outbox meet the same event at about the same time: one write at a time per
   * webhook, so two upserts of one document never race (MongoDB refuses the second with a duplicate key).
   */
  private async oneAtATime(webhookId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.writing.get(webhookId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.writing.set(webhookId, next);
    try {
      await next;
    } finally {
      if (this.writing.get(webhookId) === next) this.writing.delete(webhookId);
    }
  }

  private async register(registration: WebhookRegistration, position: string): Promise<void> {
    if (this.known.has(registration.webhookId)) return;
    const hook: KnownWebhook = { registration, position, deleted: false };
    await this.readStore.writeBatch(WEBHOOKS_VIEW.name, [
      { type: 'patch', id: registration.webhookId, position, upsert: true, setOnInsert: { ...documentFields(hook), deleted: false, deletedAt: null } },
    ]);
    if (!this.known.has(registration.webhookId)) this.known.set(registration.webhookId, hook);
  }

  private async delete(webhookId: string, deletedAt: string): Promise<void> {
    const hook = this.known.get(webhookId) ?? (await this.registrationOf(webhookId));
    if (hook === undefined || (hook.deleted && this.known.has(webhookId))) return;
    await this.readStore.writeBatch(WEBHOOKS_VIEW.name, [
      { type: 'patch', id: webhookId, position: hook.position, set: { deleted: true, deletedAt }, upsert: true, setOnInsert: documentFields(hook) },
    ]);
    this.known.set(webhookId, { ...hook, deleted: true });
  }

  /** The webhook as its stream's first event registered it, and where. */
  private async registrationOf(webhookId: string): Promise<KnownWebhook | undefined> {
    for await (const event of this.store.readStream(webhookStream(webhookId), { maxCount: 1 })) {
      if (event.type === 'WebhookRegistered') return { registration: event.data as WebhookRegistration, position: event.position, deleted: false };
    }
    return undefined;
  }
}

function documentFields(hook: KnownWebhook): Record<string, unknown> {
  const { webhookId, url, types, registeredAt } = hook.registration;
  return { webhookId, url, types: [...types], createdAt: registeredAt };
}
