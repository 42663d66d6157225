import { type ViewDefinition, type ViewDocument } from '../../platform/read-store/read-store.port.js';

/**
 * The webhooks and their deliveries in the read store (SQLite or MongoDB, through the ReadStore port). Not
 * projections: the outbox writes them as it follows the log (like `stalled_processes`), so they are not
 * rebuilt by `jxc projections`. The secret is never stored here, only in the webhook's stream.
 */
export const WEBHOOKS_VIEW: ViewDefinition = { name: 'webhooks', indexes: [{ fields: [{ field: 'createdAt', direction: 'asc' }] }] };

export const DELIVERIES_VIEW: ViewDefinition = {
  name: 'webhook_deliveries',
  indexes: [
    { fields: [{ field: 'webhookId', direction: 'asc' }, { field: 'logOrder', direction: 'desc' }] },
    { fields: [{ field: 'webhookId', direction: 'asc' }, { field: 'status', direction: 'asc' }, { field: 'logOrder', direction: 'desc' }] },
    { fields: [{ field: 'status', direction: 'asc' }, { field: 'logOrder', direction: 'asc' }] },
  ],
};

/** A webhook as GET /api/webhooks answers it. */
export interface WebhookListing {
  readonly webhookId: string;
  readonly url: string;
  readonly types: string[];
  readonly createdAt: string;
}

/** `position`: of the registration; events after it are delivered. */
export interface WebhookDocument extends ViewDocument, WebhookListing {
  readonly deleted: boolean;
  readonly deletedAt: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** A delivery as GET /api/webhooks/:id/deliveries answers it. */
export interface DeliveryListing {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  /** The event's log position. */
  readonly position: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** The receiver's HTTP status at the last attempt; null before any, or when it did not answer. */
  readonly lastStatus: number | null;
  /** Why the last attempt failed (a status, a timeout, a refused connection); null when it succeeded or none was made. */
  readonly lastError: string | null;
  /** When the next attempt is due (pending); null otherwise. */
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
}

/** One delivery: id `<webhookId>:<eventId>`; `position` is the event's. */
export interface DeliveryDocument extends ViewDocument, DeliveryListing {
  readonly webhookId: string;
  /** The event's revision in its stream: where the dispatcher reads it (on every store, however long the stream). */
  readonly revision: number;
  /** The position as a string that sorts in log order (both read stores sort strings). */
  readonly logOrder: string;
  readonly createdAt: string;
  /** Time of the first failed attempt since the delivery was (re)queued: the 24 h window counts from it. */
  readonly failingSince: string | null;
}

export const deliveryId = (webhookId: string, eventId: string): string => `${webhookId}:${eventId}`;

/** Embedded positions (`1042`) and EventStoreDB's (`commit/prepare`) padded, so that string order is log order. */
export function logOrderOf(position: string): string {
  return position.replace(/\d+/g, (digits) => digits.padStart(20, '0'));
}

export function deliveryListing(document: DeliveryDocument): DeliveryListing {
  const { eventId, type, streamId, position, status, attempts, lastStatus, lastError, nextAttemptAt, deliveredAt } = document;
  return { eventId, type, streamId, position, status, attempts, lastStatus, lastError, nextAttemptAt, deliveredAt };
}

export function webhookListing(document: WebhookDocument): WebhookListing {
  return { webhookId: document.webhookId, url: document.url, types: [...document.types], createdAt: document.createdAt };
}
