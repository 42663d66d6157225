import Database from 'better-sqlite3';
import { join } from 'node:path';

import { type LeaseState, type LeaseStore } from './lease.port.js';

/** Whatever the store's own busy_timeout: a lease renewal waits at most this long for another process's commit. */
const BUSY_TIMEOUT_MS = 2000;

/**
 * The lease as a row of its own table (`jxc_leases`) in the embedded event store's file (`events.sqlite`), on a
 * connection of its own: every process on the data directory sees the same row, and SQLite's write lock makes
 * each take-or-renew atomic. Expiry compares the processes' clocks, which on one machine are one clock.
 */
export class SqliteLeaseStore implements LeaseStore {
  private readonly db: Database.Database;
  private readonly take: Database.Statement;
  private readonly read: Database.Statement;
  private readonly drop: Database.Statement;

  constructor(dataDir: string, fileName = 'events.sqlite') {
    this.db = new Database(join(dataDir, fileName));
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.exec(`CREATE TABLE IF NOT EXISTS jxc_leases (
      name       TEXT    PRIMARY KEY,
      holder     TEXT,
      expires_at INTEGER NOT NULL,
      generation INTEGER NOT NULL
    )`);
    // Granted when the row is absent, expired, or already this holder's; a new holder raises the generation.
    this.take = this.db.prepare(`
      INSERT INTO jxc_leases (name, holder, expires_at, generation) VALUES (@name, @holder, @expiresAt, 1)
      ON CONFLICT (name) DO UPDATE SET
        generation = CASE WHEN holder = excluded.holder THEN generation ELSE generation + 1 END,
        holder = excluded.holder,
        expires_at = excluded.expires_at
      WHERE holder = excluded.holder OR holder IS NULL OR expires_at <= @now`);
    this.read = this.db.prepare(`SELECT holder, expires_at AS expiresAt, generation FROM jxc_leases WHERE name = ?`);
    this.drop = this.db.prepare(`UPDATE jxc_leases SET holder = NULL, expires_at = 0 WHERE name = ? AND holder = ?`);
  }

  // async: the lease port is asynchronous (MongoDB); here each step is one synchronous SQLite transaction.
  async acquire(name: string, holder: string, ttlMs: number, now: number): Promise<LeaseState> {
    const row = this.db.transaction(() => {
      this.take.run({ name, holder, expiresAt: now + ttlMs, now });
      return this.read.get(name) as { holder: string | null; expiresAt: number; generation: number };
    }).immediate();
    return { held: row.holder === holder, holder: row.holder, expiresAt: row.holder === null ? null : row.expiresAt, generation: row.generation };
  }

  async release(name: string, holder: string): Promise<void> {
    this.drop.run(name, holder);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
