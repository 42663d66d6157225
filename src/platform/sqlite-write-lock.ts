import type Database from 'better-sqlite3';

/** The waits between two tries for a write lock another connection holds (ms), the last one repeated. */
export const LOCK_RETRY_MS = [0, 1, 1, 2, 2, 3, 4];

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `begin` (a prepared BEGIN IMMEDIATE) if the write lock is free now, without waiting in SQLite's busy handler:
 * the connection's busy_timeout is 0 for the try and `busyTimeoutMs` again after. Undefined when the transaction is
 * begun, SQLite's SQLITE_BUSY error when another connection holds the lock; any other error throws.
 */
export function tryBeginImmediate(db: Database.Database, begin: Database.Statement, busyTimeoutMs: number): unknown {
  setBusyTimeout(db, 0);
  try {
    begin.run();
    return undefined;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return error;
    throw error;
  } finally {
    setBusyTimeout(db, busyTimeoutMs);
  }
}

/** Per connection, its prepared `PRAGMA busy_timeout = <ms>` statements: `db.pragma()` prepares one at every call. */
const busyTimeouts = new WeakMap<Database.Database, Map<number, Database.Statement>>();

function setBusyTimeout(db: Database.Database, ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`busy timeout ${ms} ms: a whole number of milliseconds is needed`);
  let statements = busyTimeouts.get(db);
  if (statements === undefined) {
    statements = new Map();
    busyTimeouts.set(db, statements);
  }
  let statement = statements.get(ms);
  if (statement === undefined) {
    statement = db.prepare(`PRAGMA busy_timeout = ${ms}`);
    statements.set(ms, statement);
  }
  statement.get();
}

/**
 * Write transactions on a connection that shares its file with another writer (the read store: the service's
 * thread and the projection worker each have a connection). While the other holds the write lock, a write waits
 * for it on a timer, with the event loop free, instead of asleep in SQLite's busy handler: that handler sleeps
 * in steps of up to 100 ms with the thread blocked, so one small write of the command thread (the process
 * recovery's checkpoint) stalled every request for as long as a projection batch held the lock, and often longer.
 *
 * Writes of one connection run in the order they were asked for; the first, when none waits, begins at once.
 * One that has waited `busyTimeoutMs` in all fails with SQLite's SQLITE_BUSY, as it did inside the busy handler.
 */
export class WriteLock {
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private waiting = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database.Database,
    private readonly busyTimeoutMs: number,
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** Runs `work` in one write transaction: committed when it returns, rolled back when it throws. */
  async transaction<R>(work: () => R): Promise<R> {
    if (this.waiting === 0 && tryBeginImmediate(this.db, this.begin, this.busyTimeoutMs) === undefined) return this.run(work);
    this.waiting++;
    const previous = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      await this.locked();
      return this.run(work);
    } finally {
      this.waiting--;
      done();
    }
  }

  /** Resolves once every write asked for so far has committed or failed (the connection may then be closed). */
  idle(): Promise<void> {
    return this.tail;
  }

  private async locked(): Promise<void> {
    const giveUpAt = performance.now() + this.busyTimeoutMs;
    for (let tries = 0; ; tries++) {
      const busy = tryBeginImmediate(this.db, this.begin, this.busyTimeoutMs);
      if (busy === undefined) return;
      if (performance.now() >= giveUpAt) throw busy;
      await later(LOCK_RETRY_MS[Math.min(tries, LOCK_RETRY_MS.length - 1)]);
    }
  }

  private run<R>(work: () => R): R {
    try {
      const result = work();
      this.commit.run();
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
  }
}
