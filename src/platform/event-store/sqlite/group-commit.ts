import type Database from 'better-sqlite3';

import { IdempotencyViolation, WrongExpectedRevision } from '../errors.js';
import { type AppendResult, type ExpectedRevision } from '../event-store.port.js';
import { type AppendRequest, appendOne } from './append-one.js';
import { type RowToInsert, type Statements } from './statements.js';
import { sqliteStorageError } from './storage-errors.js';

interface PendingAppend extends AppendRequest {
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * Test hook, off unless set (test/fault/crash-retry.int.spec.ts): JXC_TEST_KILL_AFTER_APPEND=<probability> makes
 * the process SIGKILL itself right after a group commit, before any caller learns its append succeeded.
 */
const KILL_AFTER_COMMIT = Number(process.env.JXC_TEST_KILL_AFTER_APPEND ?? 0);

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

  /** `written`: called after each commit that wrote events. */
  constructor(
    db: Database.Database,
    statements: Statements,
    private readonly written: () => void,
  ) {
    this.commitGroup = db.transaction((batch: PendingAppend[], outcomes: Outcome[]) => {
      for (let i = 0; i < batch.length; i++) {
        try {
          outcomes[i] = { ok: true, result: appendOne(statements, batch[i]) };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevision || error instanceof IdempotencyViolation)) throw error;
          outcomes[i] = { ok: false, error };
        }
      }
    });
  }

  /** Queues the append for the next group; settles once the group is committed (or refused). */
  enqueue(streamId: string, events: readonly RowToInsert[], expected: ExpectedRevision): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now, as one transaction, and answers each append. */
  flush(): void {
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
