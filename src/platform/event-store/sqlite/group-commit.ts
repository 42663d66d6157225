import type Database from 'better-sqlite3';

import { LOCK_RETRY_MS, tryBeginImmediate } from '../../sqlite-write-lock.js';
import { IdempotencyViolation, WrongExpectedRevision } from '../errors.js';
import { type AppendResult, type ExpectedRevision } from '../event-store.port.js';
import { type AppendRequest, appendOne } from './append-one.js';
import { type RowToInsert, type Statements } from './statements.js';
import { BUSY_TIMEOUT_MS } from './schema.js';
import { sqliteStorageError } from './storage-errors.js';

interface PendingAppend extends AppendRequest {
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  /** Shared writers only: when the append was queued (performance.now()), to give up on it after LOCK_WAIT_MS. */
  readonly since?: number;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * Test hook, off unless set (test/fault/crash-retry.int.spec.ts): JXC_TEST_KILL_AFTER_APPEND=<probability> makes
 * the process SIGKILL itself right after a group commit, before any caller learns its append succeeded.
 */
const KILL_AFTER_COMMIT = Number(process.env.JXC_TEST_KILL_AFTER_APPEND ?? 0);

/** Shared writers: how long an append waits for the write lock in all, as the busy_timeout does for one writer. */
const LOCK_WAIT_MS = BUSY_TIMEOUT_MS;

/**
 * Group commit: `enqueue` only queues; the queue is flushed on the next turn of the event loop as ONE
 * transaction, so every append that arrived meanwhile shares one commit and one fsync. Each append is
 * refused by its own check before it writes (append-one.ts): one stream's conflict fails that append
 * alone, never the group. An I/O error fails the whole group, which wrote nothing.
 */
export class GroupCommit {
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly commitGroup: Database.Transaction<(batch: PendingAppend[], outcomes: Outcome[]) => void>;
  private readonly counters = { commits: 0, appends: 0, events: 0 };
  /** Shared writers: the retry timer while the write lock is another process's, and how many tries in a row failed. */
  private retry: NodeJS.Timeout | undefined;
  private busyTries = 0;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;

  /**
   * `written`: called after each commit that wrote events. `shared`: other processes append to the file too
   * (JXC_WORKERS > 1), so the write lock is not waited for inside SQLite's busy handler, which sleeps with the event
   * loop blocked (no HTTP, no deciding, no append joining the group).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
    private readonly written: () => void,
    private readonly shared = false,
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.commitGroup = db.transaction((batch: PendingAppend[], outcomes: Outcome[]) => appendEach(statements, batch, outcomes));
  }

  /** Queues the append for the next group; settles once the group is committed (or refused). */
  enqueue(streamId: string, events: readonly RowToInsert[], expected: ExpectedRevision, expectedLastEventId?: string): Promise<AppendResult> {
    if (this.shared) return this.enqueueShared(streamId, events, expected, expectedLastEventId);
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events, expected, expectedLastEventId, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private enqueueShared(streamId: string, events: readonly RowToInsert[], expected: ExpectedRevision, expectedLastEventId: string | undefined): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events, expected, expectedLastEventId, resolve, reject, since: performance.now() });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.tryFlush());
      }
    });
  }

  /**
   * Shared writers: commits what is queued if the write lock is free now. When another process holds it (SQLITE_BUSY
   * at BEGIN IMMEDIATE, busy_timeout 0) the queue stays, the event loop goes on (appends arriving meanwhile join the
   * group) and the try is repeated after a short timer; an append that waited LOCK_WAIT_MS in all fails as
   * StorageUnavailable, as a lock held past busy_timeout does with one writer.
   */
  private tryFlush(): void {
    this.flushScheduled = false;
    this.retry = undefined;
    if (this.pending.length === 0) return;
    let locked: unknown;
    try {
      locked = tryBeginImmediate(this.db, this.begin, BUSY_TIMEOUT_MS);
    } catch (error) {
      locked = error;
    }
    if (locked === undefined) {
      this.busyTries = 0;
      const batch = this.pending;
      this.pending = [];
      this.commitBegun(batch);
      return;
    }
    if ((locked as { code?: unknown }).code !== 'SQLITE_BUSY') {
      // Not the lock: the file cannot be used now (I/O error...). Every queued append fails, as a failed group does.
      const batch = this.pending;
      this.pending = [];
      const failure = sqliteStorageError(locked, 'append');
      for (const append of batch) append.reject(failure);
      return;
    }
    const giveUpBefore = performance.now() - LOCK_WAIT_MS;
    const waited = this.pending.filter((append) => (append.since ?? 0) <= giveUpBefore);
    if (waited.length > 0) {
      this.pending = this.pending.filter((append) => (append.since ?? 0) > giveUpBefore);
      const failure = sqliteStorageError(locked, 'append');
      for (const append of waited) append.reject(failure);
      if (this.pending.length === 0) return;
    }
    this.flushScheduled = true;
    this.retry = setTimeout(() => this.tryFlush(), LOCK_RETRY_MS[Math.min(this.busyTries++, LOCK_RETRY_MS.length - 1)]);
  }

  /** Shared writers: the write transaction is begun (the lock is this connection's); writes the group and commits. */
  private commitBegun(batch: PendingAppend[]): void {
    const outcomes = new Array<Outcome>(batch.length);
    try {
      appendEach(this.statements, batch, outcomes);
      this.commit.run();
    } catch (error) {
      // As with one writer: the whole group is rolled back, nothing of it was written.
      if (this.db.inTransaction) this.rollback.run();
      const failure = sqliteStorageError(error, 'append');
      for (const append of batch) append.reject(failure);
      return;
    }
    this.counters.commits++;
    if (KILL_AFTER_COMMIT > 0 && Math.random() < KILL_AFTER_COMMIT) process.kill(process.pid, 'SIGKILL');
    this.answer(batch, outcomes);
  }

  /**
   * Commits what is queued now, as one transaction, and answers each append. Shared writers call it only at close:
   * there it waits for the lock inside SQLite (busy_timeout), as one writer always does.
   */
  flush(): void {
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
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
    this.answer(batch, outcomes);
  }

  /** Commits, appends and events written since the store was opened. */
  stats(): Readonly<{ commits: number; appends: number; events: number }> {
    return { ...this.counters };
  }

  private answer(batch: readonly PendingAppend[], outcomes: readonly Outcome[]): void {
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
    if (wroteAny) this.written();
  }
}

/**
 * Writes each append of a group inside its transaction: a conflict (WrongExpectedRevision, IdempotencyViolation)
 * refuses that append alone; anything else (an I/O error) throws and the whole group is rolled back.
 */
function appendEach(statements: Statements, batch: readonly PendingAppend[], outcomes: Outcome[]): void {
  for (let i = 0; i < batch.length; i++) {
    try {
      outcomes[i] = { ok: true, result: appendOne(statements, batch[i]) };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision || error instanceof IdempotencyViolation)) throw error;
      outcomes[i] = { ok: false, error };
    }
  }
}
