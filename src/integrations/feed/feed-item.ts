import { streamCategory } from '../../../domain/shared/streams.js';
import { currentSchemaVersion, upcast } from '../../../domain/upcast.js';
import { type RecordedEvent } from '../../platform/event-store/event-store.port.js';

/**
 * The streams of business events (one per aggregate of the domain). Everything else in the log is an
 * internal record: idempotency answers, API keys, document-number series and claims, webhook registrations.
 */
const BUSINESS_CATEGORIES: ReadonlySet<string> = new Set(['order', 'stock', 'payment', 'product', 'customer', 'supplier', 'credit']);

/**
 * One business event as the feed and the webhooks publish it. `data` is the domain event's data brought
 * to the current schema of its type (`schemaVersion`): the same shape the domain folds, documented per
 * type in docs/domain.md. Personal data are sealed here and opened for the caller on the way out.
 */
export interface FeedItem {
  readonly position: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  /** When the command that appended it was decided (ISO-8601 UTC). */
  readonly occurredAt: string;
  /** The schema version of `data`: the current one of the type, unless the event could not be upcast. */
  readonly schemaVersion: number;
  readonly data: unknown;
}

export function isBusinessEvent(event: Pick<RecordedEvent, 'streamId'>): boolean {
  return BUSINESS_CATEGORIES.has(streamCategory(event.streamId));
}

/** The public shape of a business event: upcast data, the metadata a subscriber needs and nothing else. */
export function feedItemOf(event: RecordedEvent): FeedItem {
  const metadata = event.metadata as Record<string, unknown>;
  const stored = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
  let data = event.data;
  let schemaVersion = stored;
  try {
    data = upcast(event.type, stored, event.data);
    schemaVersion = currentSchemaVersion(event.type);
  } catch {
    // Written by a newer version of jxc than this one: published as stored, with its own schema version.
  }
  return {
    position: event.position,
    eventId: event.eventId,
    streamId: event.streamId,
    revision: Number(event.revision),
    type: event.type,
    occurredAt: typeof metadata.occurredAt === 'string' ? metadata.occurredAt : '',
    schemaVersion,
    data,
  };
}
