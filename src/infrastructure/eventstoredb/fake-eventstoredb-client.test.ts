import {
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type ReadRevision,
  StreamNotFoundError,
  TimeoutError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { Readable } from 'node:stream';

/**
 * An in-memory stand-in for `EventStoreDBClient` (the four calls the adapter makes), written from the server's
 * own rules so the adapter's logic can run the contract suite where no server can run:
 * - append check (IndexCommitter.CheckCommit): `any`/`stream_exists` recognise a retry only by the FIRST id
 *   being known (otherwise the batch is written, duplicates and all); an exact/`no_stream` expectation below
 *   the head recognises a retry only when the events right after it carry the same ids; a partial match is a
 *   wrong-expected-version; an idempotent success answers the original last revision and position;
 * - positions as in the `$all` reader for implicitly committed prepares: commit = prepare = the event's log
 *   position, growing with record size; the append answers the last event's position;
 * - `$all` reads include the event at `fromPosition`, subscriptions start after it; system events (`$>` links
 *   in `$ce-<category>`, `$statsCollected`) interleave with ours;
 * - a stream read of a missing stream fails with StreamNotFoundError; reads are object-mode Readables with
 *   `cancel()`, pulled lazily (back-pressure); `unsubscribe()` cancels without ending the stream, as gRPC does.
 */
export interface FakeServerOptions {
  /** Answer an idempotent append without a position, as servers before the idempotent-log-position change did. */
  readonly omitIdempotentPosition?: boolean;
  /** Drop idempotent retries (the server's IdempotentNotReady): the client sees a timeout. */
  readonly dropIdempotentRetries?: boolean;
  /** Deliver the event at a subscription's start position too (inclusive), to prove the adapter skips it. */
  readonly inclusiveSubscriptions?: boolean;
}

interface Stored {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: true;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
  readonly position: Position;
}

const MAX = Number.MAX_SAFE_INTEGER;

export class FakeEventStoreDbClient {
  readonly log: Stored[] = [];
  disposed = false;
  appendCalls = 0;
  private readonly streams = new Map<string, Stored[]>();
  private readonly committed = new Map<string, Stored>();
  private readonly listeners = new Set<() => void>();
  private nextLogPosition = 1_000n;
  private writes = 0;

  constructor(private readonly options: FakeServerOptions = {}) {}

  async appendToStream(streamName: string, events: EventData[], { expectedRevision = 'any' }: { expectedRevision?: AppendExpectedRevision } = {}): Promise<AppendResult> {
    this.appendCalls++;
    await new Promise((resolve) => setImmediate(resolve)); // a round trip: concurrent appends interleave here
    if (this.disposed) throw new Error('client disposed');
    return this.commit(streamName, events, expectedRevision);
  }

  readStream(
    streamName: string,
    { fromRevision = 'start', direction = 'forwards', maxCount = MAX }: { fromRevision?: ReadRevision; direction?: string; maxCount?: number | bigint } = {},
  ) {
    const stream = this.streams.get(streamName);
    let remaining = Number(maxCount);
    if (!stream) return new FakeRead(() => new StreamNotFoundError(undefined, streamName));
    const backwards = direction === 'backwards';
    let index = fromRevision === 'start' ? 0 : fromRevision === 'end' ? stream.length - 1 : Number(fromRevision);
    if (backwards) index = Math.min(index, stream.length - 1);
    return new FakeRead(() => {
      if (remaining <= 0 || index < 0 || index >= stream.length) return undefined;
      remaining--;
      const event = stream[backwards ? index-- : index++];
      return { event, commitPosition: event.position.commit };
    });
  }

  readAll({ fromPosition = 'start', direction = 'forwards', maxCount = MAX }: { fromPosition?: ReadPosition; direction?: string; maxCount?: number | bigint } = {}) {
    const backwards = direction === 'backwards';
    let remaining = Number(maxCount);
    let index: number;
    if (fromPosition === 'start') index = backwards ? -1 : 0;
    else if (fromPosition === 'end') index = backwards ? this.log.length - 1 : this.log.length;
    else {
      const from = fromPosition;
      index = backwards ? this.log.findLastIndex((e) => e.position.commit <= from.commit) : this.log.findIndex((e) => e.position.commit >= from.commit);
      if (index === -1 && !backwards) index = this.log.length;
    }
    return new FakeRead(() => {
      if (remaining <= 0 || index < 0 || index >= this.log.length) return undefined;
      remaining--;
      const event = this.log[backwards ? index-- : index++];
      return { event, commitPosition: event.position.commit };
    });
  }

  subscribeToAll({ fromPosition = 'start', filter }: { fromPosition?: ReadPosition; filter?: Filter } = {}) {
    let index: number;
    if (fromPosition === 'start') index = 0;
    else if (fromPosition === 'end') index = this.log.length;
    else {
      const from = fromPosition;
      const found = this.log.findIndex((e) => (this.options.inclusiveSubscriptions ? e.position.commit >= from.commit : e.position.commit > from.commit));
      index = found === -1 ? this.log.length : found;
    }
    const pattern = filter && 'regex' in filter ? new RegExp(filter.regex) : undefined;
    const subscription = new FakeSubscription(() => {
      while (index < this.log.length) {
        const event = this.log[index++];
        if (!pattern || pattern.test(filter?.filterOn === 'streamName' ? event.streamId : event.type)) return { event, commitPosition: event.position.commit };
      }
      return undefined;
    });
    const listener = () => subscription.pump();
    this.listeners.add(listener);
    subscription.onCancel = () => this.listeners.delete(listener);
    return subscription;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.listeners.clear();
  }

  private commit(streamName: string, events: EventData[], expected: AppendExpectedRevision): AppendResult {
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length === 0 ? -1n : stream[stream.length - 1].revision;
    const ids = events.map((e) => e.id.toLowerCase());
    const wrong = () => new WrongExpectedVersionError(undefined, { streamName, expected, current: current < 0n ? 'no_stream' : current });

    if (expected === 'stream_exists' && current < 0n) throw wrong();
    if (expected === 'any' || expected === 'stream_exists') {
      const first = this.committed.get(ids[0]);
      if (first === undefined || first.streamId !== streamName) return this.write(streamName, stream, current, events);
      const found = ids.map((id) => this.committed.get(id));
      if (found.some((f) => f === undefined || f.streamId !== streamName)) throw wrong(); // corrupted idempotency
      return this.idempotent(found[found.length - 1] as Stored);
    }
    const expectedVersion = expected === 'no_stream' ? -1n : expected;
    if (expectedVersion < current) {
      for (let i = 0; i < ids.length; i++) {
        const at = stream[Number(expectedVersion) + 1 + i];
        if (at === undefined || at.id !== ids[i]) throw wrong();
      }
      return this.idempotent(stream[Number(expectedVersion) + ids.length]);
    }
    if (expectedVersion > current) throw wrong();
    return this.write(streamName, stream, current, events);
  }

  private idempotent(last: Stored): AppendResult {
    if (this.options.dropIdempotentRetries) throw new TimeoutError();
    return { success: true, nextExpectedRevision: last.revision, position: this.options.omitIdempotentPosition ? undefined : last.position };
  }

  private write(streamName: string, stream: Stored[], current: bigint, events: EventData[]): AppendResult {
    this.streams.set(streamName, stream);
    let last: Stored | undefined;
    events.forEach((event, i) => {
      const json = JSON.stringify(event.data);
      const metadata = event.metadata === undefined ? undefined : JSON.parse(JSON.stringify(event.metadata));
      last = this.record(streamName, event.id.toLowerCase(), current + 1n + BigInt(i), event.type, JSON.parse(json), metadata, json.length);
      stream.push(last);
      this.committed.set(last.id, last);
    });
    // What a real server interleaves: a by-category link per write and, now and then, its own stats.
    this.record(`$ce-${streamName.split('-')[0]}`, `link-${this.writes}`, BigInt(this.writes), '$>', `${current + 1n}@${streamName}`, {}, 40);
    if (++this.writes % 7 === 0) this.record('$stats-127.0.0.1:2113', `stats-${this.writes}`, BigInt(this.writes), '$statsCollected', {}, {}, 300);
    for (const listener of [...this.listeners]) listener();
    const written = last as Stored;
    return { success: true, nextExpectedRevision: written.revision, position: written.position };
  }

  private record(streamId: string, id: string, revision: bigint, type: string, data: unknown, metadata: unknown, size: number): Stored {
    const at = this.nextLogPosition;
    this.nextLogPosition += BigInt(100 + size);
    const stored: Stored = { streamId, id, revision, type, isJson: true, data, metadata, created: new Date(0), position: { commit: at, prepare: at } };
    this.log.push(stored);
    return stored;
  }
}

/** A streaming read: pulls the next item when the consumer wants one; an Error item fails the read. */
class FakeRead extends Readable {
  cancelled = false;
  constructor(private readonly next: () => unknown) {
    super({ objectMode: true, highWaterMark: 4 });
  }
  override _read(): void {
    const item = this.next();
    if (item instanceof Error) this.destroy(item);
    else this.push(item ?? null);
  }
  async cancel(): Promise<void> {
    this.cancelled = true;
    this.destroy();
  }
}

/** Catch-up then live; `unsubscribe()` stops delivery but, like a cancelled gRPC call, never ends the stream. */
class FakeSubscription extends Readable {
  onCancel: () => void = () => undefined;
  private wanting = false;
  private cancelled = false;
  constructor(private readonly next: () => unknown) {
    super({ objectMode: true, highWaterMark: 4 });
  }
  override _read(): void {
    this.wanting = true;
    this.pump();
  }
  pump(): void {
    while (this.wanting && !this.cancelled) {
      const item = this.next();
      if (item === undefined) return;
      this.wanting = this.push(item);
    }
  }
  async unsubscribe(): Promise<void> {
    this.cancelled = true;
    this.onCancel();
  }
}
