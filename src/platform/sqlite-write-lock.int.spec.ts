import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteReadStore } from './read-store/sqlite/sqlite-read-store.js';
import { WriteLock } from './sqlite-write-lock.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two connections on one file, as the service's thread and the projection worker share the read store: while one
 * holds the write lock, a write of the other waits with its event loop free, in the order the writes were asked for.
 */
describe('a write waiting for the write lock another connection holds', () => {
  let dir: string;
  let mine: Database.Database;
  let other: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jxc-write-lock-'));
    mine = new Database(join(dir, 'file.sqlite'));
    mine.pragma('journal_mode = WAL');
    mine.exec('CREATE TABLE marks (n INTEGER PRIMARY KEY, what TEXT NOT NULL)');
    other = new Database(join(dir, 'file.sqlite'));
  });

  afterEach(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    mine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const marks = () => (mine.prepare('SELECT what FROM marks ORDER BY n').all() as { what: string }[]).map((row) => row.what);

  it('keeps the event loop free, then commits the waiting writes in the order they were asked for', async () => {
    const lock = new WriteLock(mine, 5000);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const insert = (what: string) => lock.transaction(() => mine.prepare('INSERT INTO marks (what) VALUES (?)').run(what));
    const settled: string[] = [];
    const writes = ['a', 'b', 'c'].map((what) => insert(what).then(() => settled.push(what)));
    await later(300);
    clearInterval(ticker);
    // Inside SQLite's busy handler the thread would have slept: no timer would have fired.
    expect(ticks).toBeGreaterThan(10);
    expect(settled).toEqual([]);
    other.exec('COMMIT');
    await Promise.all(writes);
    expect(settled).toEqual(['a', 'b', 'c']);
    expect(marks()).toEqual(['a', 'b', 'c']);
  });

  it('leaves the connection its busy timeout after each try, whether the lock was free or held', async () => {
    mine.pragma('busy_timeout = 5000');
    const lock = new WriteLock(mine, 5000);
    await lock.transaction(() => mine.prepare('INSERT INTO marks (what) VALUES (?)').run('free'));
    // Any other statement of the connection still waits in SQLite for a lock, as it did before the write.
    expect(mine.pragma('busy_timeout', { simple: true })).toBe(5000);
    other.exec('BEGIN IMMEDIATE');
    const waiting = lock.transaction(() => mine.prepare('INSERT INTO marks (what) VALUES (?)').run('held'));
    await later(20);
    expect(mine.pragma('busy_timeout', { simple: true })).toBe(5000);
    other.exec('COMMIT');
    await waiting;
    expect(mine.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(marks()).toEqual(['free', 'held']);
  });

  it('begins at once when nothing holds the lock, and rolls back a transaction whose work throws', async () => {
    const lock = new WriteLock(mine, 5000);
    const written = lock.transaction(() => mine.prepare('INSERT INTO marks (what) VALUES (?)').run('now'));
    // Synchronously: the write is in before the caller's next line.
    expect(marks()).toEqual(['now']);
    await written;
    await expect(
      lock.transaction(() => {
        mine.prepare('INSERT INTO marks (what) VALUES (?)').run('half');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(marks()).toEqual(['now']);
    expect(mine.inTransaction).toBe(false);
  });

  it('fails with SQLITE_BUSY when the lock is held past the timeout, writes nothing, and writes again once it is free', async () => {
    const lock = new WriteLock(mine, 300);
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    await expect(lock.transaction(() => mine.prepare('INSERT INTO marks (what) VALUES (?)').run('late'))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    other.exec('ROLLBACK');
    expect(marks()).toEqual([]);
    await lock.transaction(() => mine.prepare('INSERT INTO marks (what) VALUES (?)').run('after'));
    expect(marks()).toEqual(['after']);
  });
});

describe('the read store while the projection worker holds its write lock', () => {
  let dir: string;
  let store: SqliteReadStore;
  let worker: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jxc-read-store-lock-'));
    store = SqliteReadStore.open({ dataDir: dir });
    worker = new Database(join(dir, 'views.sqlite'));
  });

  afterEach(async () => {
    if (worker.inTransaction) worker.exec('ROLLBACK');
    worker.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a checkpoint once the lock is released, the event loop running meanwhile, and never an older one over a newer', async () => {
    worker.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const first = store.setCheckpoint('process-manager:orders', '10');
    const second = store.setCheckpoint('process-manager:orders', '20');
    await later(200);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(5);
    worker.exec('COMMIT');
    await Promise.all([first, second]);
    expect(await store.getCheckpoint('process-manager:orders')).toBe('20');
  });

  it('finishes the writes still waiting for the lock before it closes', async () => {
    await store.ensureView({ name: 'notes', indexes: [] });
    worker.exec('BEGIN IMMEDIATE');
    const written = store.writeBatch('notes', [{ type: 'upsert', document: { id: 'n-1', position: '7', text: 'kept' } }], { checkpoint: { name: 'notes@1', position: '7' } });
    const closed = store.close();
    await later(50);
    worker.exec('COMMIT');
    await expect(written).resolves.toBeUndefined();
    await closed;
    const reopened = SqliteReadStore.open({ dataDir: dir });
    try {
      await reopened.ensureView({ name: 'notes', indexes: [] });
      expect(await reopened.get('notes', 'n-1')).toMatchObject({ position: '7', text: 'kept' });
      expect(await reopened.getCheckpoint('notes@1')).toBe('7');
    } finally {
      await reopened.close();
    }
  });
});
