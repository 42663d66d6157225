import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type StockCommand } from '../../../domain/stock/commands.js';
import { tableEntries } from '../../../domain/shared/keyed-table.js';
import { stockHeader } from '../../../domain/stock/partition.js';
import { orderEntry, orderKey } from '../../../domain/stock/state.js';
import { type EventStore, type ReadStreamOptions, type RecordedEvent } from '../event-store/event-store.port.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { newId } from '../ids.js';
import { AggregateRepository } from './aggregate-repository.js';
import { SNAPSHOT_EVERY } from './snapshot-policy.js';
import { stockAggregate } from './aggregates.js';
import { type CommandMetadata } from './command-metadata.js';
import { StreamChainVerifier } from './hash-chain.js';
import { ReadStoreSnapshots, SNAPSHOTS_VIEW } from './snapshots.js';

const STREAM = 'stock-main-SNAP-1';
const meta = (): CommandMetadata => {
  const commandId = newId();
  return { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'w1', roles: ['warehouse'] }, now: '2026-11-29T00:00:00.000Z' };
};

/** The real SQLite store, counting the events its stream reads hand out: how much a load folded. */
function counting(store: EventStore): { store: EventStore; eventsRead: () => number } {
  let read = 0;
  const wrapped = Object.create(store) as EventStore;
  wrapped.readStream = async function* (streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    for await (const event of store.readStream(streamId, options)) {
      read++;
      yield event;
    }
  };
  return { store: wrapped, eventsRead: () => read };
}

describe('snapshots: loading a long stream reads only the events after the last snapshot', () => {
  let dataDir: string;
  let events: SqliteEventStore;
  let views: SqliteReadStore;
  let snapshots: ReadStoreSnapshots;

  /** Writes `count` stock events through a repository (a receipt, then reservations and shipments of distinct orders). */
  async function writeHistory(repository: AggregateRepository, count: number): Promise<void> {
    const execute = (command: StockCommand) => repository.execute(stockAggregate, STREAM, command, meta());
    const base = { warehouseId: 'main', sku: 'SNAP-1' };
    await execute({ ...base, type: 'ReceiveStock', quantity: 1_000_000 });
    for (let order = 0, written = 1; written < count; order++) {
      const orderId = `SO-${order}`;
      const pending = [execute({ ...base, type: 'SetReservation', orderId, required: 2, asOf: 1 })];
      if (written + 1 < count) pending.push(execute({ ...base, type: 'ShipStock', orderId, shippedTotal: 2 }));
      written += pending.length;
      await Promise.all(pending);
    }
    await repository.flushSnapshots();
  }

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-snapshots-'));
    events = SqliteEventStore.open({ dataDir, durability: 'normal' });
    views = SqliteReadStore.open({ dataDir });
    snapshots = await ReadStoreSnapshots.open(views);
  });
  afterEach(async () => {
    await events.close();
    await views.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a command crossing each thousand events leaves a snapshot; a fresh load folds only what follows it, to the same state', async () => {
    await writeHistory(new AggregateRepository(events, snapshots), 2_500);
    const snapshot = await snapshots.load(STREAM);
    expect(snapshot?.revision).toBe(BigInt(2 * SNAPSHOT_EVERY - 1));

    const { store, eventsRead } = counting(events);
    const fromSnapshot = await new AggregateRepository(store, snapshots).load(stockAggregate, STREAM, [orderKey('SO-0')]);
    const fromScratch = await new AggregateRepository(events).load(stockAggregate, STREAM);
    expect(eventsRead()).toBe(1 + 1 + 500); // the head (is the stream long enough?), the snapshot's own event (its hash), then the rest
    expect(fromSnapshot.revision).toBe(2_499n);
    expect(fromSnapshot.lastHash).toBe(fromScratch.lastHash);
    expect(fromSnapshot.position).toBe(fromScratch.position);
    // In parts: the same totals; the entries asked for (SO-0, long before the snapshot) and those the 500 events
    // after it changed, each as a fold from the start has it; no other order's entry is guessed.
    expect(stockHeader(fromSnapshot.state)).toEqual(stockHeader(fromScratch.state));
    const after = tableEntries(fromSnapshot.state.partial!.keys).map(([key]) => key).sort();
    expect(after).toContain(orderKey('SO-0'));
    expect(after).toContain(orderKey('SO-1249')); // the last order, written after the snapshot
    expect(after.length).toBeLessThan(300);
    for (const key of after) expect(orderEntry(fromSnapshot.state, key.slice('order:'.length))).toEqual(orderEntry(fromScratch.state, key.slice('order:'.length)));
    expect(() => orderEntry(fromSnapshot.state, 'SO-500')).toThrow(/loaded without order:SO-500/);
    const widened = await new AggregateRepository(events, snapshots).load(stockAggregate, STREAM, [orderKey('SO-500'), orderKey('SO-never')]);
    expect(orderEntry(widened.state, 'SO-500')).toEqual(orderEntry(fromScratch.state, 'SO-500'));
    expect(orderEntry(widened.state, 'SO-never')).toEqual(orderEntry(fromScratch.state, 'SO-never'));
  });

  it('commands after a load from a snapshot decide on the right state and keep the hash chain whole', async () => {
    await writeHistory(new AggregateRepository(events, snapshots), 1_200);
    const repository = new AggregateRepository(events, snapshots);
    const shipped = await repository.execute(stockAggregate, STREAM, { type: 'ShipStock', warehouseId: 'main', sku: 'SNAP-1', orderId: 'SO-0', shippedTotal: 2 }, meta());
    expect(shipped.events).toEqual([]); // SO-0 was shipped long before the snapshot: idempotent, nothing appended
    await repository.execute(stockAggregate, STREAM, { type: 'SetReservation', warehouseId: 'main', sku: 'SNAP-1', orderId: 'SO-new', required: 3, asOf: 1 }, meta());

    const verifier = new StreamChainVerifier(STREAM);
    let checked = 0;
    for await (const event of events.readStream(STREAM)) {
      expect(verifier.check({ ...event, streamId: STREAM, revision: Number(event.revision) })).toBeUndefined();
      checked++;
    }
    expect(checked).toBe(1_201);
    const fresh = await new AggregateRepository(events).load(stockAggregate, STREAM);
    const keys = ['SO-0', 'SO-599', 'SO-new'];
    const fromSnapshot = await new AggregateRepository(events, snapshots).load(stockAggregate, STREAM, keys.map(orderKey));
    expect(stockHeader(fromSnapshot.state)).toEqual(stockHeader(fresh.state));
    for (const orderId of keys) expect(orderEntry(fromSnapshot.state, orderId)).toEqual(orderEntry(fresh.state, orderId));
  });

  it('a snapshot that does not match the stream, or has another state version, is ignored and the stream folded from the start', async () => {
    await writeHistory(new AggregateRepository(events, snapshots), 1_100);
    const fromScratch = await new AggregateRepository(events).load(stockAggregate, STREAM);
    const stored = (await views.get(SNAPSHOTS_VIEW.name, STREAM))!;

    // A snapshot whose hash is not the stream's at that revision (say, views kept from another log).
    await views.writeBatch(SNAPSHOTS_VIEW.name, [{ type: 'upsert', document: { ...stored, lastHash: 'f'.repeat(64), state: JSON.stringify({ bogus: true }) } }]);
    const mismatched = counting(events);
    const refolding = new AggregateRepository(mismatched.store, snapshots);
    const loaded = await refolding.load(stockAggregate, STREAM);
    expect(loaded.state).toEqual(fromScratch.state);
    expect(mismatched.eventsRead()).toBeGreaterThan(1_100);
    // That fold of 1,100 events stored a sound snapshot in the background: let it land before the next bogus one.
    await refolding.flushSnapshots();

    // A snapshot of an older state shape.
    await views.writeBatch(SNAPSHOTS_VIEW.name, [{ type: 'upsert', document: { ...stored, stateVersion: 0, state: JSON.stringify({ bogus: true }) } }]);
    expect((await new AggregateRepository(events, snapshots).load(stockAggregate, STREAM)).state).toEqual(fromScratch.state);
  });
});
