import { type DomainEvent } from '../../../domain/shared/event.js';
import { type AggregateType } from './aggregate-type.js';

/**
 * How an aggregate's events are stored when they are not stored as decided: personal data sealed
 * (src/platform/personal-data). Encoded before the hash chain, so the chain covers what is stored; decoded
 * after upcasting, so the decider folds what it decided. Streams with a codec are never snapshotted (a
 * snapshot would store the decoded state).
 */
export interface EventCodec {
  /** Before a load, or before appending `toAppend` (for which a key may have to be made). */
  forStream(streamId: string, toAppend?: readonly DomainEvent[]): Promise<StreamCodec>;
}

export interface StreamCodec {
  encode<Event extends DomainEvent>(event: Event): Event;
  decode<Event extends DomainEvent>(event: Event): Event;
}

/** The aggregate type reading this stream through its codec. */
export function decoding<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, codec: StreamCodec): AggregateType<State, Command, Event> {
  return { ...type, upcast: (eventType, schemaVersion, data) => codec.decode(type.upcast(eventType, schemaVersion, data)) };
}
