/**
 * The event store port (DESIGN.md "Event store port"). Appends are atomic per stream only.
 * Revisions are bigint (0 = the first event of a stream, as in EventStoreDB); positions are opaque,
 * totally ordered, serialisable strings compared with `comparePositions` of the adapter.
 */
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

export interface EventStore {
  readonly kind: 'sqlite' | 'eventstoredb';
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
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
