import type Database from 'better-sqlite3';

export type Durability = 'full' | 'normal';

/**
 * One table holds the log. `position` is the rowid: the global order of the log.
 * (stream_id, revision) is unique, which is what makes an exact expected revision a real lock:
 * two appends can never both write revision n of one stream.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  event_id  TEXT    NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, revision);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_event_id ON events (event_id);
`;

/** How long a statement waits inside SQLite for a lock another connection holds (a writer's, mostly). */
export const BUSY_TIMEOUT_MS = 5000;

/** SQLite's page cache of a connection that runs commands: the streams they load stay in memory (64 MB). */
const PAGE_CACHE_KIB = 65_536;

export function openSchema(db: Database.Database, durability: Durability, pageCacheKib: number = PAGE_CACHE_KIB): void {
  db.pragma('journal_mode = WAL');
  // full: SQLite fsyncs the WAL at every commit, and a commit here is one group of appends.
  // normal: WAL without fsync on commit (fsync at checkpoints only); a crash of the machine, not of the process, may lose the last commits.
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`cache_size = -${pageCacheKib}`);
  db.pragma('temp_store = MEMORY');
  db.exec(SCHEMA);
}
