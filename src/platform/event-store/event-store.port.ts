/**
 * The event store port (DESIGN.md "Event store port"). Appends are atomic per stream only.
 * Revisions are bigint (0 = the first event of a stream, as in EventStoreDB); positions are opaque,
 * totally ordered, serialisable strings compared with `comparePositions` of the adapter.
 */
import { AppendTooLarge } from './errors.js';

export const EVENT_STORE = Symbol('EventStore');

/** `no_stream`: the stream must not exist; `stream_exists`: it must; `any`: no check; bigint: exact revision. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface EventToAppend {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface RecordedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface AppendResult {
  /** Revision of the last event of the stream after this append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event this append wrote (or had written, for an idempotent re-append). */
  readonly position: string;
}

export interface AppendOptions {
  /**
   * With an exact expected revision only: the id of the event the caller expects AT that revision (the last event
   * of the state it decided on). The append is refused with WrongExpectedRevision, writing nothing, when the
   * stream's event at that revision has another id. What a writer pipelining behind its own append still in
   * flight names: if another process's append took that revision (failing the one in flight), the revision alone
   * would match and the pipelined append be accepted on a state that never existed. An idempotent re-append
   * (every event id already in the stream) is answered as without it. Another expectation with it is a TypeError.
   * The embedded store checks it inside the group's write transaction (one indexed read); the EventStoreDB
   * adapter refuses it (TypeError): only several processes on one embedded store (JXC_WORKERS > 1) use it; on
   * EventStoreDB they do not pipeline instead.
   */
  readonly expectedLastEventId?: string;
}

export interface ReadStreamOptions {
  readonly fromRevision?: bigint;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the beginning. */
  readonly fromPosition?: string;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive, like `readAll`. Omitted: from the beginning. */
  readonly fromPosition?: string;
}

/** Catch-up then live, in log order; iterate with `for await`; `close()` ends the iteration. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/**
 * What `readAll` and `subscribe` answer may also hand its events over a page at a time: the same events in the same
 * order, in arrays, one turn of the event loop per page rather than per event (a projection catch-up reads millions).
 * The embedded store and the shared log of the projection worker do; `eventPages` reads any of them so, falling back
 * to pages of one event.
 */
export const EVENT_PAGES = Symbol('jxc.eventPages');

export interface PagedEvents extends AsyncIterable<RecordedEvent> {
  [EVENT_PAGES](): AsyncIterator<readonly RecordedEvent[]>;
}

/** The events of `source` a page at a time (see EVENT_PAGES). */
export function eventPages(source: AsyncIterable<RecordedEvent>): AsyncIterator<readonly RecordedEvent[]> {
  if (EVENT_PAGES in source) return (source as PagedEvents)[EVENT_PAGES]();
  const events = source[Symbol.asyncIterator]();
  return {
    next: async () => {
      const next = await events.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: [next.value] };
    },
    return: async () => {
      await events.return?.();
      return { done: true, value: undefined };
    },
  };
}

/**
 * Pages as events, one at a time (the other face of a PagedEvents); `stopped` is asked before each event (a
 * subscription closed meanwhile hands out none of the rest of its page).
 */
export async function* eventsOfPages(pages: AsyncIterator<readonly RecordedEvent[]>, stopped: () => boolean = () => false): AsyncGenerator<RecordedEvent> {
  try {
    for (;;) {
      const next = await pages.next();
      if (next.done) return;
      for (const event of next.value) {
        if (stopped()) return;
        yield event;
      }
    }
  } finally {
    await pages.return?.();
  }
}

/**
 * The largest append every adapter takes, in bytes: EventStoreDB's default `MaxAppendSize` (1 MiB), measured
 * as the server measures it, per event UTF-8 bytes of the JSON data + UTF-8 bytes of the JSON metadata + 2 x
 * the type's length (`appendSize`). A larger append is refused before anything is sent or written, with
 * AppendTooLarge, on every adapter (an EventStoreDB configured with a smaller limit refuses with the same
 * error). What a command appends is far below it; a body that would come near it is refused earlier.
 */
export const MAX_APPEND_BYTES = 1_048_576;

/** An event as the store writes it: data and metadata serialised as JSON text. */
export interface SerialisedEvent {
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** The size an append counts against MAX_APPEND_BYTES (EventStoreDB's `Event.SizeOnDisk`, summed over the batch). */
export function appendSize(events: readonly SerialisedEvent[]): number {
  let size = 0;
  for (const event of events) size += Buffer.byteLength(event.data, 'utf8') + Buffer.byteLength(event.metadata, 'utf8') + 2 * event.type.length;
  return size;
}

/** Refuses a batch over MAX_APPEND_BYTES with AppendTooLarge; counts bytes only when the batch could be that large. */
export function assertAppendSize(streamId: string, events: readonly SerialisedEvent[]): void {
  let bound = 0;
  // A UTF-16 code unit is at most 3 UTF-8 bytes.
  for (const event of events) bound += 3 * (event.data.length + event.metadata.length) + 2 * event.type.length;
  if (bound <= MAX_APPEND_BYTES) return;
  const size = appendSize(events);
  if (size > MAX_APPEND_BYTES) throw new AppendTooLarge(streamId, size, MAX_APPEND_BYTES);
}

export interface EventStore {
  readonly kind: 'sqlite' | 'eventstoredb';
  /**
   * Appends atomically at the expected revision. A batch whose event ids are all in the stream already, in
   * order, is a no-op returning the original result whatever the expectation (an exact revision at the head
   * included); a batch only partly there is refused (IdempotencyViolation) and writes nothing. A batch over
   * MAX_APPEND_BYTES is refused (AppendTooLarge) and writes nothing. `options.expectedLastEventId`: see AppendOptions.
   */
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult>;
  /**
   * The event of this stream with this id, or undefined. What a keyed command checks before deciding: whether
   * an earlier attempt of the same command (same command id, hence same event ids) was already appended.
   * Cost: the embedded store looks it up in its unique index of event ids (one indexed read); EventStoreDB
   * has no such index, so the adapter reads the stream backwards, page by page, until it finds the id or has
   * read its idempotency window (default 1,000 newest events; see EventStoreDbOptions).
   */
  findEvent(streamId: string, eventId: string): Promise<RecordedEvent | undefined>;
  /** Streamed: pages are fetched as the caller iterates, memory stays bounded. A missing stream yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribe(options?: SubscribeOptions): Subscription;
  /** Position of the last durable event of the log, or undefined when the log is empty. */
  headPosition(): Promise<string | undefined>;
  /** Negative when a < b, 0 when equal, positive when a > b. */
  comparePositions(a: string, b: string): number;
  /** Finishes in-flight appends, then releases the store. */
  close(): Promise<void>;
}

/**
 * What an embedded store offers a second connection to the same log (the projection worker thread):
 * commit notices from the writer, so that the reader's live subscriptions need not poll.
 */
export interface CommitNotices {
  /** Calls `listener` after each commit of this connection that wrote events; returns the unsubscribe. */
  onCommit(listener: () => void): () => void;
  /** Another connection committed: wake this one's live subscriptions. */
  notifyCommitted(): void;
}

export function hasCommitNotices(store: EventStore): store is EventStore & CommitNotices {
  const candidate = store as Partial<CommitNotices>;
  return typeof candidate.onCommit === 'function' && typeof candidate.notifyCommitted === 'function';
}
