import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';

import { DomainError } from '../../../domain/shared/domain-error.js';
import { READ_STORE, type ReadStore, type ViewFilter } from '../../platform/read-store/read-store.port.js';
import { queuedOf, WebhookDispatcher } from './webhook-dispatcher.js';
import { DELIVERIES_VIEW, deliveryId, type DeliveryDocument, deliveryListing, type DeliveryListing, type DeliveryStatus, WEBHOOKS_VIEW, type WebhookDocument, type WebhookListing, webhookListing } from './webhook-views.js';

export interface DeliveryPage {
  readonly items: DeliveryListing[];
  readonly nextCursor: string | null;
}

/** What the API reads and does about webhooks besides commands: the list, the deliveries, a re-send. */
@Injectable()
export class WebhookDeliveries implements OnModuleInit {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.readStore.ensureView(WEBHOOKS_VIEW);
    await this.readStore.ensureView(DELIVERIES_VIEW);
  }

  async webhooks(): Promise<WebhookListing[]> {
    const found: WebhookListing[] = [];
    const documents = this.readStore.scan<WebhookDocument>(WEBHOOKS_VIEW.name, { filter: { deleted: false }, sort: [{ field: 'createdAt', direction: 'asc' }] });
    for await (const document of documents) found.push(webhookListing(document));
    return found;
  }

  /** Newest first; 404 for a webhook that does not exist or was deleted. */
  async deliveries(webhookId: string, query: { status?: DeliveryStatus; limit: number; cursor?: string }): Promise<DeliveryPage> {
    await this.webhook(webhookId);
    const filter: Record<string, ViewFilter[string]> = { webhookId };
    if (query.status) filter.status = query.status;
    const page = await this.readStore.query<DeliveryDocument>(DELIVERIES_VIEW.name, { filter, sort: [{ field: 'logOrder', direction: 'desc' }], limit: query.limit, cursor: query.cursor });
    return { items: page.items.map(deliveryListing), nextCursor: page.nextCursor ?? null };
  }

  /**
   * Sends a delivery again: a dead (or delivered) one becomes pending with a fresh 24 h window and goes
   * back into its stream's queue in log order; a pending one is made due now.
   */
  async resend(webhookId: string, eventId: string): Promise<DeliveryListing> {
    await this.webhook(webhookId);
    const id = deliveryId(webhookId, eventId);
    const document = await this.readStore.get<DeliveryDocument>(DELIVERIES_VIEW.name, id);
    if (document === undefined) throw new DomainError('not_found', `webhook ${webhookId} has no delivery of event ${eventId}`, { webhookId, eventId });
    const now = new Date().toISOString();
    const set = { status: 'pending' as const, nextAttemptAt: now, failingSince: null, deliveredAt: null };
    await this.readStore.writeBatch(DELIVERIES_VIEW.name, [{ type: 'patch', id, position: document.position, set }]);
    const updated: DeliveryDocument = { ...document, ...set };
    this.dispatcher.enqueue(queuedOf(updated));
    return deliveryListing(updated);
  }

  private async webhook(webhookId: string): Promise<WebhookDocument> {
    const document = await this.readStore.get<WebhookDocument>(WEBHOOKS_VIEW.name, webhookId);
    if (document === undefined || document.deleted) throw new DomainError('not_found', `no webhook ${webhookId}`, { webhookId });
    return document;
  }
}
