import type Database from 'better-sqlite3';

/**
 * `_generations` says which physical table serves each view; `_checkpoints` holds the runners'
 * positions. View names cannot start with `_`, so these never clash with a view table.
 */
const META_SCHEMA = `
CREATE TABLE IF NOT EXISTS _generations (
  view     TEXT    PRIMARY KEY NOT NULL,
  live     TEXT    NOT NULL,
  sequence INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS _checkpoints (
  name     TEXT PRIMARY KEY NOT NULL,
  position TEXT NOT NULL,
  version  INTEGER
);
`;

/**
 * A file made before checkpoints recorded the version of the projections that wrote them gains the
 * column (null: written by that older code). In one write transaction, so two processes opening the
 * file together add it once; the older code's statements still work on it.
 */
function addCheckpointVersion(db: Database.Database): void {
  db.transaction(() => {
    const columns = db.prepare(`SELECT name FROM pragma_table_info('_checkpoints')`).all() as { name: string }[];
    if (!columns.some((column) => column.name === 'version')) db.exec(`ALTER TABLE _checkpoints ADD COLUMN version INTEGER`);
  }).immediate();
}

/** How long a write waits for the write lock another connection (the other thread's) holds, in all. */
export const READ_STORE_BUSY_TIMEOUT_MS = 5000;

export function openReadStoreSchema(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // Views are rebuildable from the event log: losing the last commits to a power cut costs a replay, not data.
  db.pragma('synchronous = NORMAL');
  // A checkpoint (copying the WAL into the file, with an fsync) every ~40 MB of WAL instead of every 4 MB: a
  // projection batch writes a few MB, and checkpointing after nearly every one cost a third of a rebuild's time.
  db.pragma('wal_autocheckpoint = 10000');
  // ...and the WAL file is cut back after each checkpoint instead of staying at its largest size.
  db.pragma('journal_size_limit = 67108864');
  db.pragma(`busy_timeout = ${READ_STORE_BUSY_TIMEOUT_MS}`);
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.exec(META_SCHEMA);
  addCheckpointVersion(db);
}
