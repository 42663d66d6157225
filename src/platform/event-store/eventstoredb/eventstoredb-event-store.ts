import {
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  type EventData,
  excludeSystemEvents,
  FORWARDS,
  NO_STREAM,
  START,
  type StreamingRead,
} from '@eventstore/db-client';

import { AppendTooLarge, EventStoreClosed, IdempotencyViolation, WrongExpectedRevision } from '../errors.js';
import {
  type AppendOptions,
  type AppendResult,
  assertAppendSize,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { type ExistingBatch, findExistingBatch } from './idempotency.js';
import {
  asClientConflict,
  assertAppendable,
  asMaxAppendSizeExceeded,
  type ClientRecordedEvent,
  isAmbiguousAppendFailure,
  isStreamNotFound,
  isSystemEvent,
  normaliseEventId,
  toActualRevision,
  toClientExpectedRevision,
  toEventData,
  toRecordedEvent,
  toSerialisedEvent,
} from './mapping.js';
import { compareLogPositions, comparePositions, decodePosition, encodePosition, type LogPosition } from './positions.js';
import { eventStoreDbStorageError } from './storage-errors.js';
import { StreamedSubscription } from './subscription.js';

export interface EventStoreDbOptions {
  /**
   * How many of a stream's newest events are searched for event ids: before every append with an exact or
   * `no_stream` expectation (EventStoreDB does not recognise a batch re-sent at the head as a retry), to resolve
   * an `any` / `stream_exists` append, after a conflict or an append whose answer was lost, and by `findEvent`
   * (a keyed command looking for its earlier attempt). An id deeper than this is not found: a re-sent batch with
   * an exact or `no_stream` expectation is then refused as WrongExpectedRevision unless EventStoreDB recognises
   * it itself (sent again at its original revision), with `any` / `stream_exists` it would be appended again,
   * and a keyed command whose earlier attempt lies deeper is decided again. Cost: each search is one streamed
   * backwards read that stops at the first id found, so a NEW batch reads min(stream length, window) events
   * before it is written. Default 1000; `Infinity` reads whole streams.
   */
  readonly idempotencyWindow?: number;
  /** Attempts of an `any` / `stream_exists` append that keeps losing a race on a hot stream. Default 100. */
  readonly maxAttempts?: number;
}

const DEFAULT_IDEMPOTENCY_WINDOW = 1000;
const DEFAULT_MAX_ATTEMPTS = 100;

type AppendOutcome = { readonly result: AppendResult } | { readonly conflict: true; readonly actual: bigint | undefined; readonly actualKnown: boolean };

/**
 * The distributed event store: EventStoreDB via `@eventstore/db-client` (gRPC), chosen when EVENTSTORE_URL is set.
 *
 * - Revisions are bigint end to end; positions are `${commit}/${prepare}` of the `$all` log (./positions.ts).
 * - `append` is one `appendToStream` (atomic per stream, as the port requires), after the stream's newest
 *   events were searched for the batch's ids (./idempotency.ts): a batch already stored in order returns the
 *   original result, one partly stored is IdempotencyViolation, both without writing. An exact or `no_stream`
 *   expectation then goes to the server as is. `any` and `stream_exists` are resolved against the head found by
 *   that search and sent as that exact revision (retrying on a lost race), so a partial overlap can never be
 *   written: EventStoreDB's own `any` would append a batch whose first id is new.
 * - `expectedLastEventId` (AppendOptions) is refused with a TypeError: EventStoreDB cannot make it atomic.
 * - Conflicts become WrongExpectedRevision, unless the stream holds the batch by then (looked for again).
 *   An append that failed in a way that may have written it (timeout, deadline, UNAVAILABLE, CANCELLED,
 *   UNKNOWN) is looked for too before the error is answered.
 * - An append over MAX_APPEND_BYTES is refused before it is sent (AppendTooLarge), as is one the server refuses
 *   with its own, possibly lower, MaxAppendSize.
 * - Reads and subscriptions are the client's streaming gRPC reads consumed by async iteration: back-pressured,
 *   bounded memory. `$all` readers skip system events (type or stream starting with `$`); `fromPosition` is
 *   exclusive (the server's read includes the event at that position: it is skipped here).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;

  private readonly idempotencyWindow: number;
  private readonly maxAttempts: number;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly reads = new Set<StreamingRead<unknown>>();
  private readonly subscriptions = new Set<StreamedSubscription<AllStreamResolvedEvent>>();

  /**
   * Connects with an EventStoreDB connection string (`esdb://localhost:2113?tls=false`) and checks the server
   * answers, so a wrong URL stops the start-up with one clear line. Credentials in the URL are never echoed.
   */
  static async connect(url: string, options: EventStoreDbOptions = {}): Promise<EventStoreDbEventStore> {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(url);
    } catch (error) {
      throw new Error(`EVENTSTORE_URL ${redact(url)} is not an EventStoreDB connection string: ${describe(error)}`, { cause: error });
    }
    const store = new EventStoreDbEventStore(client, options);
    try {
      await store.headPosition();
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw new Error(`EventStoreDB at ${redact(url)} did not answer: ${describe(error)}`, { cause: error });
    }
    return store;
  }

  /** Wraps a client made elsewhere (tests, custom credentials). The store disposes it on close. */
  static fromClient(client: EventStoreDBClient, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(client, options);
  }

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions,
  ) {
    this.idempotencyWindow = options.idempotencyWindow ?? DEFAULT_IDEMPOTENCY_WINDOW;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!(this.idempotencyWindow >= 1)) throw new RangeError(`idempotencyWindow must be at least 1, got ${this.idempotencyWindow}`);
    if (!(this.maxAttempts >= 1)) throw new RangeError(`maxAttempts must be at least 1, got ${this.maxAttempts}`);
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision, options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosed());
    if (events.length === 0) return Promise.reject(new TypeError(`append to ${streamId}: no events`));
    // Refused rather than emulated: the server has no condition on an event's id, and reading the stream's last
    // event before the append would not be atomic with it (another client could append in between, the very case
    // the option exists for). With several processes on EventStoreDB the repository does not pipeline, so it never
    // sends it (aggregate-repository.ts, waitsForAppends).
    if (options.expectedLastEventId !== undefined) {
      return Promise.reject(new TypeError(`append to ${streamId}: expectedLastEventId is not supported by the EventStoreDB adapter`));
    }
    try {
      assertAppendable(streamId, events);
      toClientExpectedRevision(expected);
      assertAppendSize(streamId, events.map(toSerialisedEvent));
    } catch (error) {
      return Promise.reject(error);
    }
    if (new Set(events.map((e) => normaliseEventId(e.eventId))).size !== events.length) {
      return Promise.reject(new IdempotencyViolation(streamId, events.map((e) => e.eventId)));
    }
    const task =
      expected === 'any' || expected === 'stream_exists'
        ? this.appendAtHead(streamId, events, expected)
        : this.appendExpecting(streamId, events, expected);
    // The server unreachable or too slow: StorageUnavailable (after the ambiguity checks above, which may still find the batch written).
    return this.track(task.catch((error: unknown) => Promise.reject(eventStoreDbStorageError(error, 'append'))));
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    return this.guarded(() => this.streamEvents(streamId, options));
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return this.guarded(() => this.allEvents(options));
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    if (this.closed) throw new EventStoreClosed();
    const after = options.fromPosition === undefined ? undefined : decodePosition(options.fromPosition);
    const subscription: StreamedSubscription<AllStreamResolvedEvent> = new StreamedSubscription<AllStreamResolvedEvent>(
      // The server filters system event types; the stream-name check and the exclusive start are redone per event.
      () => this.client.subscribeToAll({ fromPosition: after ?? START, filter: excludeSystemEvents() }),
      (resolved) => fromAll(resolved, after),
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<string | undefined> {
    if (this.closed) throw new EventStoreClosed();
    const newestFirst = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
    for await (const recorded of this.drain(newestFirst, (resolved) => fromAll(resolved, undefined))) return recorded.position;
    return undefined;
  }

  comparePositions(a: string, b: string): number {
    return comparePositions(a, b);
  }

  /** Lets in-flight appends settle, ends open reads and subscriptions, then disposes the client. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      await Promise.allSettled([...this.inFlight]);
      for (const read of [...this.reads]) read.destroy(new EventStoreClosed());
      await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.close()));
      await this.client.dispose();
    })();
    return this.closing;
  }

  /**
   * Exact revision or no_stream. The ids are looked up first: EventStoreDB recognises a retry only when it is
   * sent with an expectation BEHIND the head (it then compares the ids of the events after it); a batch re-sent
   * with an exact revision equal to the head (a caller that reloaded the stream and appended the same ids again)
   * would be written a second time. Cost: one backwards read of the stream per append, which stops at the
   * batch's first id; for a new batch it reads the whole stream up to the idempotency window.
   */
  private async appendExpecting(streamId: string, events: readonly EventToAppend[], expected: bigint | 'no_stream'): Promise<AppendResult> {
    const stored = await this.findExisting(streamId, events);
    if (stored.kind === 'all') return stored.result;
    if (stored.kind === 'partial') throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));
    const outcome = await this.tryAppend(streamId, events, toClientExpectedRevision(expected));
    if ('result' in outcome) return outcome.result;
    const existing = await this.findExisting(streamId, events);
    if (existing.kind === 'all') return existing.result;
    if (existing.kind === 'partial') throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));
    throw new WrongExpectedRevision(streamId, expected, outcome.actualKnown ? outcome.actual : existing.head);
  }

  /** any / stream_exists: resolved to the head revision found by the idempotency check, retried on a lost race. */
  private async appendAtHead(streamId: string, events: readonly EventToAppend[], expected: 'any' | 'stream_exists'): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const existing = await this.findExisting(streamId, events);
      if (existing.kind === 'all') return existing.result;
      if (existing.kind === 'partial') throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));
      if (expected === 'stream_exists' && existing.head === undefined) throw new WrongExpectedRevision(streamId, expected, undefined);
      const outcome = await this.tryAppend(streamId, events, existing.head ?? NO_STREAM);
      if ('result' in outcome) return outcome.result;
      if (attempt >= this.maxAttempts) throw new WrongExpectedRevision(streamId, expected, outcome.actual);
    }
  }

  private async tryAppend(streamId: string, events: readonly EventToAppend[], expected: AppendExpectedRevision): Promise<AppendOutcome> {
    const data: EventData[] = events.map(toEventData);
    let response: Awaited<ReturnType<EventStoreDBClient['appendToStream']>>;
    try {
      response = await this.client.appendToStream(streamId, data, { expectedRevision: expected });
    } catch (error) {
      const conflict = asClientConflict(error);
      if (conflict) return { conflict: true, actual: conflict.actual, actualKnown: true };
      const tooLarge = asMaxAppendSizeExceeded(error);
      if (tooLarge) throw new AppendTooLarge(streamId, undefined, tooLarge.limit);
      if (isAmbiguousAppendFailure(error)) {
        // Written or not? A dropped idempotent retry, a slow commit, a batch-append stream that broke after
        // the request left: the stream tells.
        const existing = await this.findExisting(streamId, events).catch(() => undefined);
        if (existing?.kind === 'all') return { result: existing.result };
      }
      throw error;
    }
    if (!response.success) {
      // Only with `throwOnAppendFailure=false` in the connection string; the client's revision is unreliable there.
      return { conflict: true, actual: toActualRevision(response.nextExpectedRevision), actualKnown: false };
    }
    const position = response.position
      ? encodePosition(response.position)
      : await this.positionOf(streamId, response.nextExpectedRevision);
    return { result: { nextExpectedRevision: response.nextExpectedRevision, position } };
  }

  /**
   * The stream read backwards (streamed: the client fetches as we iterate and the read is cancelled when we
   * stop) until the id is found or the idempotency window is read.
   */
  async findEvent(streamId: string, eventId: string): Promise<RecordedEvent | undefined> {
    if (this.closed) throw new EventStoreClosed();
    const wanted = normaliseEventId(eventId);
    for await (const recorded of this.streamEvents(streamId, { direction: 'backwards', maxCount: this.idempotencyWindow })) {
      if (normaliseEventId(recorded.eventId) === wanted) return recorded;
    }
    return undefined;
  }

  /** An idempotent success from an older server carries no position: the event at that revision has it. */
  private async positionOf(streamId: string, revision: bigint): Promise<string> {
    for await (const recorded of this.streamEvents(streamId, { fromRevision: revision, maxCount: 1 })) return recorded.position;
    throw new Error(`EventStoreDB acknowledged ${streamId}@${revision} but the event cannot be read`);
  }

  private findExisting(streamId: string, events: readonly EventToAppend[]): Promise<ExistingBatch> {
    return findExistingBatch(
      events.map((e) => e.eventId),
      this.streamEvents(streamId, { direction: 'backwards', maxCount: this.idempotencyWindow }),
    );
  }

  private async *streamEvents(streamId: string, options: ReadStreamOptions): AsyncGenerator<RecordedEvent> {
    const { maxCount } = options;
    if (maxCount !== undefined && !(maxCount >= 1)) return;
    const backwards = options.direction === 'backwards';
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      ...(maxCount !== undefined && Number.isFinite(maxCount) ? { maxCount: Math.floor(maxCount) } : {}),
    });
    yield* this.drain(read, (resolved) => (resolved.event ? toRecordedEvent(resolved.event) : undefined), isStreamNotFound);
  }

  private async *allEvents(options: ReadAllOptions): AsyncGenerator<RecordedEvent> {
    const after = options.fromPosition === undefined ? undefined : decodePosition(options.fromPosition);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (!(remaining >= 1)) return;
    // No server-side filter on a `$all` read in this client version: system events are skipped here, so
    // maxCount counts our events and the read itself is unbounded (streamed, cancelled when we stop).
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: after ?? START });
    for await (const recorded of this.drain(read, (resolved) => fromAll(resolved, after))) {
      yield recorded;
      if (--remaining < 1) return;
    }
  }

  /**
   * Async iteration over one streaming read of the client. The gRPC call is cancelled when the consumer stops
   * early or it fails; `ignore` turns an expected error (stream not found) into an empty result.
   */
  private async *drain<T>(
    read: StreamingRead<T>,
    convert: (item: T) => RecordedEvent | undefined,
    ignore: (error: unknown) => boolean = () => false,
  ): AsyncGenerator<RecordedEvent> {
    this.reads.add(read);
    let completed = false;
    try {
      for await (const item of read) {
        const recorded = convert(item);
        if (recorded !== undefined) yield recorded;
      }
      completed = true;
    } catch (error) {
      if (!ignore(error)) throw eventStoreDbStorageError(error, 'read');
      completed = true;
    } finally {
      this.reads.delete(read);
      if (!completed) await read.cancel().catch(() => undefined);
    }
  }

  private guarded(iterate: () => AsyncGenerator<RecordedEvent>): AsyncIterable<RecordedEvent> {
    const isClosed = () => this.closed;
    return {
      [Symbol.asyncIterator]() {
        if (isClosed()) throw new EventStoreClosed();
        return iterate();
      },
    };
  }

  private track<T>(task: Promise<T>): Promise<T> {
    const settled = task.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return task;
  }
}

/** A `$all` event at the port, or undefined for a system event or one at/before the exclusive start. */
function fromAll(resolved: { readonly event?: ClientRecordedEvent & { readonly position: LogPosition } }, after: LogPosition | undefined): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || isSystemEvent(event)) return undefined;
  if (after && compareLogPositions(event.position, after) <= 0) return undefined;
  return toRecordedEvent(event);
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
