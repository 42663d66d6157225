import { upcast } from '../../../domain/upcast.js';
import { streamCategory } from '../../../domain/shared/streams.js';
import { type ProjectedEvent, type ProjectedEventMetadata } from '../../../projections/index.js';
import { type RecordedEvent } from '../event-store/event-store.port.js';

const BUSINESS = new Set(['order', 'stock', 'payment', 'product', 'customer', 'supplier']);

/** Events whose data could not be read (upcasting refused it), with the reason: every view of the group fails on them. */
export const UNREADABLE = new WeakMap<ProjectedEvent, Error>();

/**
 * The projected form of each recorded event read through a shared log (shared-log.ts): every group of the
 * worker gets the same recorded event, so it is upcast once, not once per group. Kept on the recorded event
 * itself, under a symbol no one else knows: a WeakMap of every event read costs the garbage collector more (its
 * entries are ephemerons; a 100k-event catch-up spent about a fifth more time in GC with one). An event that
 * cannot take a property (frozen) keeps its projected form in a WeakMap.
 */
const PROJECTED = Symbol('projected');
const PROJECTED_FROZEN = new WeakMap<RecordedEvent, ProjectedEvent>();

/**
 * Like `toProjectedEvent`, but an event that cannot be read comes back marked in `UNREADABLE` instead of
 * throwing. The same recorded event gives the same projected event (read-only for its readers).
 */
export function projectedOrUnreadable(recorded: RecordedEvent): ProjectedEvent {
  const holder = recorded as RecordedEvent & { [PROJECTED]?: ProjectedEvent };
  const known = holder[PROJECTED] ?? PROJECTED_FROZEN.get(recorded);
  if (known !== undefined) return known;
  const projected = projectedOnce(recorded);
  if (Object.isExtensible(recorded)) Object.defineProperty(recorded, PROJECTED, { value: projected });
  else PROJECTED_FROZEN.set(recorded, projected);
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
