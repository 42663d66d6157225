import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port.js';

/**
 * An EventStore that hands every call, with all its arguments, to another: a decorator overrides only what it
 * changes, so an argument added to the port later (as `append`'s options were) is never dropped on the way.
 */
export class DelegatingEventStore implements EventStore {
  readonly kind: EventStore['kind'];

  constructor(protected readonly inner: EventStore) {
    this.kind = inner.kind;
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    return this.inner.append(streamId, events, expected, options);
  }

  findEvent(streamId: string, eventId: string): Promise<RecordedEvent | undefined> {
    return this.inner.findEvent(streamId, eventId);
  }

  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readAll(options);
  }

  subscribe(options?: SubscribeOptions): Subscription {
    return this.inner.subscribe(options);
  }

  headPosition(): Promise<string | undefined> {
    return this.inner.headPosition();
  }

  comparePositions(a: string, b: string): number {
    return this.inner.comparePositions(a, b);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
