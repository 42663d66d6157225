import { upcast } from '../../../domain/upcast.js';
import { streamCategory } from '../../../domain/shared/streams.js';
import { type ProjectedEvent, type ProjectedEventMetadata } from '../../../projections/index.js';
import { type RecordedEvent } from '../event-store/event-store.port.js';

const BUSINESS = new Set(['order', 'stock', 'payment', 'product', 'customer', 'supplier']);

/** Events whose data could not be read (upcasting refused it), with the reason: every view of the group fails on them. */
export const UNREADABLE = new WeakMap<ProjectedEvent, Error>();

/**
 * The projected form of each recorded event read through a shared log (shared-log.ts): every group of the
 * worker gets the same recorded event, so it is upcast once, not once per group.
 */
const PROJECTED = new WeakMap<RecordedEvent, ProjectedEvent>();

/**
 * Like `toProjectedEvent`, but an event that cannot be read comes back marked in `UNREADABLE` instead of
 * throwing. The same recorded event gives the same projected event (read-only for its readers).
 */
export function projectedOrUnreadable(recorded: RecordedEvent): ProjectedEvent {
  let projected = PROJECTED.get(recorded);
  if (projected === undefined) {
    projected = projectedOnce(recorded);
    PROJECTED.set(recorded, projected);
  }
  return projected;
}

function projectedOnce(recorded: RecordedEvent): ProjectedEvent {
  try {
    return toProjectedEvent(recorded);
  } catch (error) {
    const event: ProjectedEvent = { streamId: recorded.streamId, revision: Number(recorded.revision), position: recorded.position, type: recorded.type, data: recorded.data, metadata: {} };
    UNREADABLE.set(event, error instanceof Error ? error : new Error(String(error)));
    return event;
  }
}

/**
 * A stored event as projections read it: business events upcast to their current schema, the
 * metadata fields projections use. Throws when the data cannot be read (a schema newer than this code).
 */
function toProjectedEvent(recorded: RecordedEvent): ProjectedEvent {
  const metadata = recorded.metadata as Record<string, unknown>;
  const schemaVersion = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
  const data = BUSINESS.has(streamCategory(recorded.streamId)) ? upcast(recorded.type, schemaVersion, recorded.data) : recorded.data;
  return {
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position: recorded.position,
    type: recorded.type,
    data,
    metadata: metadataOf(metadata),
  };
}

function metadataOf(metadata: Record<string, unknown>): ProjectedEventMetadata {
  const actor = metadata.actor as { id?: unknown; roles?: unknown } | undefined;
  return {
    commandId: stringOrUndefined(metadata.commandId),
    correlationId: stringOrUndefined(metadata.correlationId),
    causationId: stringOrUndefined(metadata.causationId),
    occurredAt: stringOrUndefined(metadata.occurredAt),
    actor:
      actor && typeof actor.id === 'string'
        ? { id: actor.id, roles: Array.isArray(actor.roles) ? actor.roles.filter((role): role is string => typeof role === 'string') : [] }
        : undefined,
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
