import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EVENT_PAGES, type PagedEvents, type RecordedEvent } from '../event-store/event-store.port.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { chainHash, GENESIS_HASH } from '../write-model/hash-chain.js';
import { verifyAuditChains } from './audit-verification.js';

const EVENTS = 700;
/** In the second page the embedded store reads (512 rows a page). */
const DAMAGED = 600;

describe('a log with one event whose stored JSON is damaged (real SQLite store, read a page at a time)', () => {
  let dataDir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-damaged-'));
    store = SqliteEventStore.open({ dataDir, durability: 'normal' });
    // One event per stream, each the first link of its stream's hash chain.
    await Promise.all(
      Array.from({ length: EVENTS }, (_, n) => {
        const event = { eventId: crypto.randomUUID(), type: 'Noted', data: { n } };
        const metadata = { prevHash: GENESIS_HASH };
        const hash = chainHash(GENESIS_HASH, { streamId: `note-${n}`, revision: 0, ...event, metadata });
        return store.append(`note-${n}`, [{ ...event, metadata: { ...metadata, hash } }], 'no_stream');
      }),
    );
    await store.close();
    const db = new Database(join(dataDir, 'events.sqlite'));
    try {
      const { position } = db.prepare('SELECT position FROM events ORDER BY position LIMIT 1 OFFSET ?').get(DAMAGED - 1) as { position: number };
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run('{"n": 5', position);
    } finally {
      db.close();
    }
    store = SqliteEventStore.open({ dataDir, durability: 'normal' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('audit verify checks every event before it and names the last position it read', async () => {
    const positions: string[] = [];
    for await (const event of store.readAll({ maxCount: DAMAGED - 1 })) positions.push(event.position);

    const result = await verifyAuditChains(store);

    expect(result.ok).toBe(false);
    expect(result.eventsChecked).toBe(DAMAGED - 1);
    expect(result.breaks).toEqual([expect.objectContaining({ reason: 'unreadable', after: positions[DAMAGED - 2] })]);
  });

  it.each([
    ['readAll, a page at a time', (s: SqliteEventStore) => (s.readAll() as PagedEvents)[EVENT_PAGES]()],
    ['readAll, an event at a time', (s: SqliteEventStore) => s.readAll()[Symbol.asyncIterator]()],
    ['a subscription, a page at a time', (s: SqliteEventStore) => (s.subscribe() as unknown as PagedEvents)[EVENT_PAGES]()],
  ])('%s: hands out every event before it, then fails', async (_name, open) => {
    const iterator = open(store) as AsyncIterator<RecordedEvent | readonly RecordedEvent[]>;
    let read = 0;
    let failure: unknown;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        read += Array.isArray(next.value) ? next.value.length : 1;
      }
    } catch (error) {
      failure = error;
    } finally {
      await iterator.return?.();
    }
    expect(failure).toBeInstanceOf(SyntaxError);
    expect(read).toBe(DAMAGED - 1);
  });
});
