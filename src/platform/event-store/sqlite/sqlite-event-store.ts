import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { AppendTooLarge, EventStoreClosed, IdempotencyViolation, WrongExpectedRevision } from '../errors.js';
import {
  type AppendResult,
  assertAppendSize,
  type CommitNotices,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SerialisedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { compareSequencePositions, isSequencePosition } from '../positions.js';
import { sqliteStorageError } from './storage-errors.js';
import { type Durability, openSchema } from './schema.js';

export interface SqliteEventStoreOptions {
  readonly dataDir: string;
  readonly durability: Durability;
  readonly fileName?: string;
}

/** An event to append with its data and metadata already serialised (once, when the append is queued). */
interface RowToInsert extends SerialisedEvent {
  readonly eventId: string;
}

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly RowToInsert[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

interface StoredId {
  stream_id: string;
  revision: number;
  position: number;
}

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

const PAGE_SIZE = 512;
/**
 * Test hook, off unless set (test/fault/crash-retry.int.spec.ts): JXC_TEST_KILL_AFTER_APPEND=<probability> makes
 * the process SIGKILL itself right after a group commit, before any caller learns its append succeeded.
 */
const KILL_AFTER_COMMIT = Number(process.env.JXC_TEST_KILL_AFTER_APPEND ?? 0);
// Other processes (the CLI) may append to the same file; a live subscription also polls this often.
const POLL_INTERVAL_MS = 1000;

/**
 * The embedded event store: one SQLite file, WAL, and group commit.
 *
 * `append` only enqueues; the queue is flushed on the next turn of the event loop as ONE transaction,
 * so every append that arrived meanwhile shares one commit and one fsync. Each append is refused by its own
 * check before it writes: one stream's conflict fails that append alone, never the group.
 */
export class SqliteEventStore implements EventStore, CommitNotices {
  readonly kind = 'sqlite' as const;

  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly commitListeners = new Set<() => void>();
  private readonly commitGroup: Database.Transaction<(batch: PendingAppend[], outcomes: Outcome[]) => void>;
  private readonly counters = { commits: 0, appends: 0, events: 0 };

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    mkdirSync(options.dataDir, { recursive: true });
    return new SqliteEventStore(join(options.dataDir, options.fileName ?? 'events.sqlite'), options.durability);
  }

  private constructor(
    readonly fileName: string,
    readonly durability: Durability,
  ) {
    this.db = new Database(fileName);
    openSchema(this.db, durability);
    this.statements = prepareStatements(this.db);
    this.commitGroup = this.db.transaction((batch: PendingAppend[], outcomes: Outcome[]) => {
      for (let i = 0; i < batch.length; i++) {
        try {
          outcomes[i] = { ok: true, result: this.appendOne(batch[i]) };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevision || error instanceof IdempotencyViolation)) throw error;
          outcomes[i] = { ok: false, error };
        }
      }
    });
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosed());
    if (events.length === 0) return Promise.reject(new TypeError(`append to ${streamId}: no events`));
    let rows: RowToInsert[];
    try {
      rows = events.map(serialise);
      assertAppendSize(streamId, rows);
    } catch (error) {
      return Promise.reject(error instanceof AppendTooLarge ? error : new TypeError(`append to ${streamId}: ${(error as Error).message}`));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events: rows, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let next = options.fromRevision !== undefined ? Number(options.fromRevision) : backwards ? Number.MAX_SAFE_INTEGER : 0;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = this.reading(() => (backwards ? this.statements.streamBackwards : this.statements.streamForwards).all(streamId, next, limit) as EventRow[]);
      for (const row of rows) yield decode(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      next = rows[rows.length - 1].revision + (backwards ? -1 : 1);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    let after = this.toSequence(options.fromPosition);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = this.reading(() => this.statements.allForwards.all(after, limit) as EventRow[]);
      for (const row of rows) yield decode(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      after = rows[rows.length - 1].position;
    }
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    return new SqliteSubscription(this.toSequence(options.fromPosition), {
      page: (after) => (this.closed ? [] : (this.statements.allForwards.all(after, PAGE_SIZE) as EventRow[])),
      onCommit: (listener) => this.onCommit(listener),
      isStoreClosed: () => this.closed,
    });
  }

  /** Calls `listener` after each commit of this connection that wrote events. */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * Another connection to the same file (a thread or a process) has committed: live subscriptions
   * read on now rather than at their next poll.
   */
  notifyCommitted(): void {
    for (const listener of [...this.commitListeners]) listener();
  }

  async findEvent(streamId: string, eventId: string): Promise<RecordedEvent | undefined> {
    if (this.closed) throw new EventStoreClosed();
    const row = this.reading(() => this.statements.eventById.get(eventId) as EventRow | undefined);
    return row && row.stream_id === streamId ? decode(row) : undefined;
  }

  async headPosition(): Promise<string | undefined> {
    const row = this.reading(() => this.statements.head.get() as { position: number | null });
    return row.position === null ? undefined : String(row.position);
  }

  comparePositions(a: string, b: string): number {
    return compareSequencePositions(a, b);
  }

  /** Commits what is queued (so every caller gets its answer), ends subscriptions, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    for (const listener of [...this.commitListeners]) listener();
    this.db.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes = new Array<Outcome>(batch.length);
    try {
      // One transaction, one fsync (synchronous=FULL) for the whole group.
      this.commitGroup.immediate(batch, outcomes);
    } catch (error) {
      // An I/O error (disk full...) rolled the whole group back: nothing of it was written. SQLite ends the
      // transaction on these errors, so the connection takes the next group as usual once the cause is gone.
      const failure = sqliteStorageError(error, 'append');
      for (const append of batch) append.reject(failure);
      return;
    }
    this.counters.commits++;
    if (KILL_AFTER_COMMIT > 0 && Math.random() < KILL_AFTER_COMMIT) process.kill(process.pid, 'SIGKILL');
    let wroteAny = false;
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome.ok) {
        wroteAny = true;
        this.counters.appends++;
        this.counters.events += batch[i].events.length;
        batch[i].resolve(outcome.result);
      } else {
        batch[i].reject(outcome.error);
      }
    }
    if (wroteAny) for (const listener of this.commitListeners) listener();
  }

  /**
   * Every refusal is decided before the first INSERT, so a refused append writes nothing and needs no
   * savepoint: this connection is the only writer and runs on one thread, and it sees the rows of the
   * appends before it in the same group.
   */
  private appendOne(append: PendingAppend): AppendResult {
    return (append.events.length === 1 && this.tryAppendSingle(append)) || this.appendChecked(append);
  }

  /**
   * The common case, one event whose append the expectation allows: just INSERT it, and let the unique
   * indexes find what the checks would (an id already stored, a revision already taken). A refused
   * INSERT undoes only itself, not the group's transaction; the checked path then decides why.
   */
  private tryAppendSingle({ streamId, events, expected }: PendingAppend): AppendResult | undefined {
    let revision = 0;
    if (expected !== 'no_stream') {
      const last = this.statements.streamHead.get(streamId) as { revision: number } | undefined;
      if (!isExpected(expected, last === undefined ? undefined : BigInt(last.revision))) return undefined;
      revision = last === undefined ? 0 : last.revision + 1;
    }
    const [event] = events;
    try {
      const info = this.statements.insert.run(streamId, revision, event.eventId, event.type, event.data, event.metadata);
      return { nextExpectedRevision: BigInt(revision), position: String(info.lastInsertRowid) };
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
      throw error;
    }
  }

  private appendChecked({ streamId, events, expected }: PendingAppend): AppendResult {
    const firstKnown = this.statements.byEventId.get(events[0].eventId) as StoredId | undefined;
    if (firstKnown) return this.replayedResult(streamId, events, firstKnown);
    for (let i = 1; i < events.length; i++) {
      if (this.statements.byEventId.get(events[i].eventId)) throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));
    }
    if (new Set(events.map((e) => e.eventId)).size !== events.length) throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));

    const last = this.statements.streamHead.get(streamId) as { revision: number } | undefined;
    assertExpected(streamId, expected, last === undefined ? undefined : BigInt(last.revision));

    let revision = last === undefined ? 0 : last.revision + 1;
    let position = 0;
    for (const event of events) {
      const info = this.statements.insert.run(streamId, revision, event.eventId, event.type, event.data, event.metadata);
      position = Number(info.lastInsertRowid);
      revision++;
    }
    return { nextExpectedRevision: BigInt(revision - 1), position: String(position) };
  }

  /** Commits, appends and events written since the store was opened (exposed on /api/metrics). */
  stats(): Readonly<{ commits: number; appends: number; events: number }> {
    return { ...this.counters };
  }

  /** The first event id is already stored: a retry of the same append is a no-op with the original result. */
  private replayedResult(
    streamId: string,
    events: readonly RowToInsert[],
    first: StoredId,
  ): AppendResult {
    let expectedRevision = first.revision;
    let lastPosition = first.position;
    for (const event of events) {
      const row = this.statements.byEventId.get(event.eventId) as StoredId | undefined;
      if (!row || row.stream_id !== streamId || row.revision !== expectedRevision) {
        throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));
      }
      lastPosition = row.position;
      expectedRevision++;
    }
    return { nextExpectedRevision: BigInt(expectedRevision - 1), position: String(lastPosition) };
  }

  /** A read whose failure is the storage's (I/O error, no memory, a lock past busy_timeout) throws StorageUnavailable. */
  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw sqliteStorageError(error, 'read');
    }
  }

  private toSequence(position: string | undefined): number {
    if (position === undefined) return 0;
    if (!isSequencePosition(position)) throw new TypeError(`not a position of this store: ${JSON.stringify(position)}`);
    return Number(position);
  }
}

function prepareStatements(db: Database.Database) {
  const columns = 'position, stream_id, revision, event_id, type, data, metadata';
  return {
    insert: db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
    byEventId: db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
    eventById: db.prepare(`SELECT ${columns} FROM events WHERE event_id = ?`),
    streamHead: db.prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
    streamForwards: db.prepare(`SELECT ${columns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`),
    streamBackwards: db.prepare(`SELECT ${columns} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`),
    allForwards: db.prepare(`SELECT ${columns} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`),
    head: db.prepare('SELECT max(position) AS position FROM events'),
  };
}

function isExpected(expected: ExpectedRevision, current: bigint | undefined): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected)
  );
}

function assertExpected(streamId: string, expected: ExpectedRevision, current: bigint | undefined): void {
  if (!isExpected(expected, current)) throw new WrongExpectedRevision(streamId, expected, current);
}

function serialise(event: EventToAppend): RowToInsert {
  const data = JSON.stringify(event.data);
  // JSON.stringify(undefined) is undefined: the column is NOT NULL, and a missing payload reads back as null.
  return { eventId: event.eventId, type: event.type, data: data === undefined ? 'null' : data, metadata: JSON.stringify(event.metadata) };
}

function decode(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: String(row.position),
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
  };
}

interface SubscriptionSource {
  page(after: number): EventRow[];
  onCommit(listener: () => void): () => void;
  isStoreClosed(): boolean;
}

/** Catch-up then live: reads pages after the last delivered position; when caught up, waits for the next commit. */
class SqliteSubscription implements Subscription {
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private after: number,
    private readonly source: SubscriptionSource,
  ) {}

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    const unsubscribe = this.source.onCommit(() => this.wake?.());
    try {
      while (!this.closed && !this.source.isStoreClosed()) {
        const rows = this.source.page(this.after);
        for (const row of rows) {
          if (this.closed) return;
          this.after = row.position;
          yield decode(row);
        }
        if (rows.length === 0) await this.nextCommit();
      }
    } finally {
      unsubscribe();
    }
  }

  private nextCommit(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, POLL_INTERVAL_MS).unref();
      this.wake = done;
    });
  }

}
