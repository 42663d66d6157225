/**
 * SQLite result codes (extended codes included: SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, SQLITE_BUSY_TIMEOUT…)
 * that say the file cannot be used now, not that the statement is wrong: a full disk, an I/O error, a file made
 * read-only or that cannot be opened, no memory, a lock held past busy_timeout. SQLite rolls the transaction
 * back on these (https://sqlite.org/lang_transaction.html, "Response To Errors Within A Transaction"), so the
 * connection stays usable and the same statement may succeed once the cause is gone. Used by both SQLite
 * adapters: the event store and the read store.
 */
const UNAVAILABLE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|NOMEM|BUSY|LOCKED|PROTOCOL)(_[A-Z_]+)?$/;

/** True for a better-sqlite3 error whose code means "storage unavailable now". */
export function isSqliteStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.test(code);
}
