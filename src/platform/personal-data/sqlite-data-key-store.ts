import Database from 'better-sqlite3';
import { join } from 'node:path';

import { sqliteStorageError } from '../event-store/sqlite/storage-errors.js';
import { privateDir, privateFile } from '../files/permissions.js';
import { type DataKeyStore, type StoredDataKey } from './data-key-store.port.js';

export const KEY_STORE_FILE = 'keys.sqlite';

interface Row {
  stream_id: string;
  wrapped: string;
  master_key_id: string;
  created_at: string;
  destroyed_at: string | null;
}

const toKey = (row: Row): StoredDataKey => ({
  streamId: row.stream_id,
  wrapped: row.wrapped,
  masterKeyId: row.master_key_id,
  createdAt: row.created_at,
  destroyedAt: row.destroyed_at,
});

/**
 * keys.sqlite in the data directory (0600). A full disk or an I/O error is the event store's StorageUnavailable
 * (503 storage_unavailable), as for the log: a registration needs its key stored before its event. A rollback journal rather than WAL, and `secure_delete`, so that a
 * destroyed key is overwritten in the file itself and no copy of its page outlives the transaction that
 * destroyed it (a WAL would keep the old page until the next checkpoint).
 */
export class SqliteDataKeyStore implements DataKeyStore {
  private readonly db: Database.Database;

  constructor(readonly fileName: string) {
    privateFile(fileName);
    this.db = new Database(fileName);
    this.db.pragma('journal_mode = DELETE');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      stream_id TEXT PRIMARY KEY,
      wrapped TEXT NOT NULL,
      master_key_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      destroyed_at TEXT
    ) WITHOUT ROWID`);
  }

  static open(dataDir: string): SqliteDataKeyStore {
    privateDir(dataDir);
    return new SqliteDataKeyStore(join(dataDir, KEY_STORE_FILE));
  }

  async getMany(streamIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    try {
      const found = new Map<string, StoredDataKey>();
      const select = this.db.prepare<[string], Row>('SELECT * FROM data_keys WHERE stream_id = ?');
      for (const streamId of new Set(streamIds)) {
        const row = select.get(streamId);
        if (row) found.set(streamId, toKey(row));
      }
      return found;
    } catch (error) {
      throw sqliteStorageError(error, 'read');
    }
  }

  async insertIfAbsent(key: StoredDataKey): Promise<StoredDataKey> {
    try {
      this.db
        .prepare('INSERT INTO data_keys (stream_id, wrapped, master_key_id, created_at, destroyed_at) VALUES (?, ?, ?, ?, NULL) ON CONFLICT (stream_id) DO NOTHING')
        .run(key.streamId, key.wrapped, key.masterKeyId, key.createdAt);
      return toKey(this.db.prepare<[string], Row>('SELECT * FROM data_keys WHERE stream_id = ?').get(key.streamId)!);
    } catch (error) {
      throw sqliteStorageError(error, 'append');
    }
  }

  async destroy(streamId: string, at: string): Promise<boolean> {
    try {
      const result = this.db
        .prepare("UPDATE data_keys SET wrapped = '', destroyed_at = ? WHERE stream_id = ? AND destroyed_at IS NULL")
        .run(at, streamId);
      if (result.changes === 0) {
        // No key yet (a party with no personal data, or a crash before its first append): a tombstone all the same.
        this.db
          .prepare("INSERT INTO data_keys (stream_id, wrapped, master_key_id, created_at, destroyed_at) VALUES (?, '', '', ?, ?) ON CONFLICT (stream_id) DO NOTHING")
          .run(streamId, at, at);
      }
      return result.changes > 0;
    } catch (error) {
      throw sqliteStorageError(error, 'append');
    }
  }

  async count(): Promise<number> {
    try {
      return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM data_keys').get()!.n;
    } catch (error) {
      throw sqliteStorageError(error, 'read');
    }
  }

  async page(afterStreamId: string | undefined, limit: number): Promise<StoredDataKey[]> {
    try {
      return this.db
        .prepare<[string, number], Row>('SELECT * FROM data_keys WHERE stream_id > ? AND destroyed_at IS NULL ORDER BY stream_id LIMIT ?')
        .all(afterStreamId ?? '', limit)
        .map(toKey);
    } catch (error) {
      throw sqliteStorageError(error, 'read');
    }
  }

  async rewrap(streamId: string, fromMasterKeyId: string, wrapped: string, masterKeyId: string): Promise<boolean> {
    try {
      const result = this.db
        .prepare('UPDATE data_keys SET wrapped = ?, master_key_id = ? WHERE stream_id = ? AND master_key_id = ? AND destroyed_at IS NULL')
        .run(wrapped, masterKeyId, streamId, fromMasterKeyId);
      return result.changes > 0;
    } catch (error) {
      throw sqliteStorageError(error, 'append');
    }
  }

  async rewrapMany(fromMasterKeyId: string, masterKeyId: string, keys: readonly { readonly streamId: string; readonly wrapped: string }[]): Promise<number> {
    try {
      const update = this.db.prepare('UPDATE data_keys SET wrapped = ?, master_key_id = ? WHERE stream_id = ? AND master_key_id = ? AND destroyed_at IS NULL');
      return this.db.transaction(() => keys.reduce((replaced, key) => replaced + update.run(key.wrapped, masterKeyId, key.streamId, fromMasterKeyId).changes, 0))();
    } catch (error) {
      throw sqliteStorageError(error, 'append');
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
