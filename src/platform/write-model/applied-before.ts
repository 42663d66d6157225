import { type DomainEvent } from '../../../domain/shared/event.js';
import { type EventStore, type RecordedEvent } from '../event-store/event-store.port.js';
import { type AppliedBefore } from './aggregate-repository.js';
import { type AggregateType } from './aggregate-type.js';
import { type CommandMetadata, type EventMetadata } from './command-metadata.js';
import { eventIdOf } from './command-events.js';

/**
 * The events a command with deterministic event ids appended to this stream before, found by the id of its
 * first event (one indexed read on the embedded store; see the port's `findEvent` for EventStoreDB).
 * `another-request`: they were appended for another request (another fingerprint). Undefined: not found.
 */
export async function findAppliedBefore<State, Command, Event extends DomainEvent>(
  store: EventStore,
  type: AggregateType<State, Command, Event>,
  streamId: string,
  metadata: CommandMetadata,
): Promise<AppliedBefore<Event> | 'another-request' | undefined> {
  if (!metadata.deterministicEventIds) return undefined;
  const first = await store.findEvent(streamId, eventIdOf(metadata.commandId, streamId, 0));
  if (!first) return undefined;
  const recordedFingerprint = (first.metadata as Partial<EventMetadata>).requestFingerprint;
  if (metadata.requestFingerprint !== undefined && recordedFingerprint !== undefined && recordedFingerprint !== metadata.requestFingerprint) {
    return 'another-request';
  }
  const events: Event[] = [];
  let last: RecordedEvent = first;
  for await (const recorded of store.readStream(streamId, { fromRevision: first.revision })) {
    if (recorded.eventId.toLowerCase() !== eventIdOf(metadata.commandId, streamId, events.length)) break;
    events.push(type.upcast(recorded.type, (recorded.metadata as Partial<EventMetadata>).schemaVersion ?? 1, recorded.data));
    last = recorded;
  }
  return { events, revision: last.revision, position: last.position };
}
