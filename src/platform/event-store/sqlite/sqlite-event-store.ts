import Database from 'better-sqlite3';
import { join } from 'node:path';

import { privateDir, privateFile } from '../../files/permissions.js';
import { AppendTooLarge, EventStoreClosed } from '../errors.js';
import {
  type AppendResult,
  type AppendOptions,
  assertAppendSize,
  type CommitNotices,
  EVENT_PAGES,
  type EventStore,
  type EventToAppend,
  eventsOfPages,
  type ExpectedRevision,
  type PagedEvents,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { compareSequencePositions, isSequencePosition } from '../positions.js';
import { GroupCommit } from './group-commit.js';
import { type Durability, openSchema } from './schema.js';
import { decode, decodedPage, type EventRow, PAGE_SIZE, prepareStatements, type RowToInsert, rowsUpTo, serialise, type Statements } from './statements.js';
import { sqliteStorageError } from './storage-errors.js';
import { SqliteSubscription } from './subscription.js';

export interface SqliteEventStoreOptions {
  readonly dataDir: string;
  readonly durability: Durability;
  readonly fileName?: string;
  /**
   * Other processes append to the same file (JXC_WORKERS > 1): an append waits for the write lock on a timer, with the
   * event loop free, rather than asleep in SQLite's busy handler (group-commit.ts).
   */
  readonly sharedWriters?: boolean;
  /** SQLite's page cache of this connection, in KiB (default PAGE_CACHE_KIB, 64 MB; LOG_READER_PAGE_CACHE_KIB for a log reader). */
  readonly pageCacheKib?: number;
}

/**
 * The page cache of a connection that reads the log front to back (the projection worker, `jxc projections rebuild`
 * and the other CLI commands that replay the log): it reads each page once, so a large cache only fills with pages
 * never read again (64 MB of RSS through a 1M-event replay). The operating system's cache still holds the file.
 */
export const LOG_READER_PAGE_CACHE_KIB = 8_192;

/**
 * The embedded event store: one SQLite file, WAL, and group commit.
 *
 * `append` only enqueues; the queue is flushed on the next turn of the event loop as ONE transaction,
 * so every append that arrived meanwhile shares one commit and one fsync (group-commit.ts). Each append
 * is refused by its own check before it writes (append-one.ts): one stream's conflict fails that append
 * alone, never the group. Subscriptions catch up, then follow the commits (subscription.ts).
 */
export class SqliteEventStore implements EventStore, CommitNotices {
  readonly kind = 'sqlite' as const;

  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly groupCommit: GroupCommit;
  private closed = false;
  private readonly commitListeners = new Set<() => void>();

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    privateDir(options.dataDir);
    return new SqliteEventStore(join(options.dataDir, options.fileName ?? 'events.sqlite'), options.durability, options.sharedWriters ?? false, options.pageCacheKib);
  }

  private constructor(
    readonly fileName: string,
    readonly durability: Durability,
    sharedWriters: boolean,
    pageCacheKib: number | undefined,
  ) {
    privateFile(fileName);
    this.db = new Database(fileName);
    openSchema(this.db, durability, pageCacheKib);
    this.statements = prepareStatements(this.db);
    this.groupCommit = new GroupCommit(
      this.db,
      this.statements,
      () => {
        for (const listener of this.commitListeners) listener();
      },
      sharedWriters,
    );
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision, options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosed());
    if (events.length === 0) return Promise.reject(new TypeError(`append to ${streamId}: no events`));
    const { expectedLastEventId } = options;
    if (expectedLastEventId !== undefined && typeof expected !== 'bigint') {
      return Promise.reject(new TypeError(`append to ${streamId}: expectedLastEventId needs an exact expected revision, not ${expected}`));
    }
    let rows: RowToInsert[];
    try {
      rows = events.map(serialise);
      assertAppendSize(streamId, rows);
    } catch (error) {
      return Promise.reject(error instanceof AppendTooLarge ? error : new TypeError(`append to ${streamId}: ${(error as Error).message}`));
    }
    return this.groupCommit.enqueue(streamId, rows, expected, expectedLastEventId);
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let next = options.fromRevision !== undefined ? Number(options.fromRevision) : backwards ? Number.MAX_SAFE_INTEGER : 0;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = this.reading(() => rowsUpTo(backwards ? this.statements.streamBackwards : this.statements.streamForwards, limit, streamId, next));
      for (const row of rows) yield decode(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      next = rows[rows.length - 1].revision + (backwards ? -1 : 1);
    }
  }

  /** The log after `fromPosition`, one event or (EVENT_PAGES) one page of PAGE_SIZE events at a time. */
  readAll(options: ReadAllOptions = {}): PagedEvents {
    const pages = () => this.readAllPages(options);
    return { [Symbol.asyncIterator]: () => eventsOfPages(pages()), [EVENT_PAGES]: pages };
  }

  private async *readAllPages(options: ReadAllOptions): AsyncGenerator<readonly RecordedEvent[]> {
    let after = this.toSequence(options.fromPosition);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = this.reading(() => rowsUpTo(this.statements.allForwards, limit, after));
      yield* decodedPage(rows);
      if (rows.length < limit) return;
      remaining -= rows.length;
      after = rows[rows.length - 1].position;
    }
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    return new SqliteSubscription(this.toSequence(options.fromPosition), {
      page: (after) => (this.closed ? [] : rowsUpTo(this.statements.allForwards, PAGE_SIZE, after)),
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
    this.groupCommit.flush();
    this.closed = true;
    for (const listener of [...this.commitListeners]) listener();
    this.db.close();
  }

  /** Commits, appends and events written since the store was opened (exposed on /api/metrics). */
  stats(): Readonly<{ commits: number; appends: number; events: number }> {
    return this.groupCommit.stats();
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
