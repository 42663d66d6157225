import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type EventToAppend } from '../../../src/event-store/event-store.port.js';
import { type Durability } from '../../../src/infrastructure/sqlite/event-store/schema.js';
import { SqliteEventStore } from '../../../src/infrastructure/sqlite/event-store/sqlite-event-store.js';
import { newId } from '../../../src/shared/ids.js';

/** A realistic event: an order placement with two lines and full metadata (~600 bytes), with ids as jxc makes them (UUIDv7). */
export function sampleEvent(orderId: string): EventToAppend {
  return {
    eventId: newId(),
    type: 'OrderPlaced',
    data: {
      orderId,
      number: `SO-${orderId.slice(0, 8)}`,
      kind: 'sale',
      partyId: 'customer-0042',
      warehouseId: 'main',
      currency: 'CNY',
      lines: [
        { sku: 'TEA-LONGJING-250G', quantity: 2, unitPrice: 12800 },
        { sku: 'CUP-CELADON-6', quantity: 1, unitPrice: 4500 },
      ],
    },
    metadata: {
      commandId: newId(),
      correlationId: newId(),
      causationId: newId(),
      actor: { id: 'clerk-7', roles: ['clerk'] },
      occurredAt: new Date().toISOString(),
      schemaVersion: 2,
      prevHash: '0'.repeat(64),
      hash: 'f'.repeat(64),
    },
  };
}

/** Raw better-sqlite3: one INSERT per transaction, WAL, synchronous=FULL (one fsync per event). */
export function rawSqliteSingleInsert(seconds: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-raw-'));
  const db = new Database(join(dir, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL)');
    db.exec('CREATE UNIQUE INDEX events_by_stream ON events (stream_id, revision)');
    db.exec('CREATE UNIQUE INDEX events_by_event_id ON events (event_id)');
    const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, 0, ?, ?, ?, ?)');
    const appendOne = db.transaction((event: EventToAppend, streamId: string) => {
      insert.run(streamId, event.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
    });
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    let count = 0;
    while (performance.now() < deadline) {
      const orderId = newId();
      appendOne(sampleEvent(orderId), `order-${orderId}`);
      count++;
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The jxc embedded adapter: `writers` concurrent callers, each appending one event to a new stream, awaiting, repeating. */
export async function jxcAppends(durability: Durability, writers: number, seconds: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-append-'));
  const store = SqliteEventStore.open({ dataDir: dir, durability });
  try {
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    let count = 0;
    const writer = async () => {
      while (performance.now() < deadline) {
        const orderId = newId();
        await store.append(`order-${orderId}`, [sampleEvent(orderId)], 'no_stream');
        count++;
      }
    };
    await Promise.all(Array.from({ length: writers }, writer));
    return count / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
