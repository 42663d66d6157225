import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { StorageUnavailable } from '../errors.js';
import { type AppendResult, type EventToAppend } from '../event-store.port.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const event = (id: string): EventToAppend => ({ eventId: id, type: 'Noted', data: { id }, metadata: {} });
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * JXC_WORKERS > 1: another process holds SQLite's write lock (here a second connection on the same file, the way another
 * process's commit holds it). The store must not sleep in SQLite's busy handler with the event loop blocked.
 */
describe('embedded SQLite store shared by several processes (sharedWriters)', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  let other: Database.Database;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-shared-writers-'));
    store = SqliteEventStore.open({ dataDir, durability: 'full', sharedWriters: true });
    other = new Database(join(dataDir, 'events.sqlite'));
  });

  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function streamOf(streamId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const recorded of store.readStream(streamId)) ids.push(recorded.eventId);
    return ids;
  }

  it('keeps serving while another connection holds the write lock, lets appends arriving meanwhile join, and commits them once it is released', async () => {
    await store.append('seen-1', [event('e-0')], 'no_stream');
    other.exec('BEGIN IMMEDIATE');
    other.prepare(`INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES ('theirs-1', 0, 'x-0', 'Noted', '{}', '{}')`).run();

    const settled: string[] = [];
    const first = store.append('mine-1', [event('e-1')], 'no_stream').then((result) => (settled.push('first'), result));
    // The event loop goes on while the append waits: a timer fires, reads are answered, another append is taken.
    await later(100);
    expect(settled).toEqual([]);
    expect(await streamOf('seen-1')).toEqual(['e-0']);
    const second = store.append('mine-2', [event('e-2')], 'no_stream').then((result) => (settled.push('second'), result));
    await later(200);
    expect(settled).toEqual([]);
    const commitsBefore = store.stats().commits;

    other.exec('COMMIT');
    const [one, two]: AppendResult[] = await Promise.all([first, second]);

    expect(settled.sort()).toEqual(['first', 'second']);
    expect(one.nextExpectedRevision).toBe(0n);
    expect(two.nextExpectedRevision).toBe(0n);
    // One group: both appends share the commit that followed the release, after the other connection's row.
    expect(store.stats().commits).toBe(commitsBefore + 1);
    expect(Number(two.position)).toBe(Number(one.position) + 1);
    expect(await streamOf('mine-1')).toEqual(['e-1']);
    expect(await streamOf('mine-2')).toEqual(['e-2']);
    expect(await streamOf('theirs-1')).toEqual(['x-0']);
  });

  it('fails an append as StorageUnavailable when the lock is held past the busy timeout, writes nothing of it, and appends again once the lock is free', async () => {
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 100);
    try {
      const appended = store.append('mine-1', [event('e-1')], 'no_stream');
      await expect(appended).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(appended).rejects.toMatchObject({ cause: expect.objectContaining({ code: 'SQLITE_BUSY' }) });
    } finally {
      clearInterval(ticker);
    }
    // The wait did not block the event loop (about 50 ticks of 100 ms in 5 s; one or two if it had).
    expect(ticks).toBeGreaterThan(10);
    other.exec('ROLLBACK');

    expect(await streamOf('mine-1')).toEqual([]);
    const retried = await store.append('mine-1', [event('e-1')], 'no_stream');
    expect(retried.nextExpectedRevision).toBe(0n);
    expect(await streamOf('mine-1')).toEqual(['e-1']);
  }, 20_000);

  it('commits what is queued on close even while it waits for the lock', async () => {
    other.exec('BEGIN IMMEDIATE');
    const appended = store.append('mine-1', [event('e-1')], 'no_stream');
    await later(50);
    other.exec('COMMIT');
    await store.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0n });
    const reopened = SqliteEventStore.open({ dataDir, durability: 'full' });
    try {
      const ids: string[] = [];
      for await (const recorded of reopened.readStream('mine-1')) ids.push(recorded.eventId);
      expect(ids).toEqual(['e-1']);
    } finally {
      await reopened.close();
    }
  });
});
