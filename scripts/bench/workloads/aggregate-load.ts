import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { orderEntry, orderKey, type StockCommand, type StockEvent, type StockPosition } from '../../../domain/stock/index.js';
import { stockStream } from '../../../domain/shared/streams.js';
import { type EventToAppend } from '../../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { newId } from '../../../src/platform/ids.js';
import { SqliteReadStore } from '../../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { AggregateRepository } from '../../../src/platform/write-model/aggregate-repository.js';
import { SNAPSHOT_EVERY } from '../../../src/platform/write-model/snapshot-policy.js';
import { stockAggregate } from '../../../src/platform/write-model/aggregates.js';
import { chainHash, GENESIS_HASH } from '../../../src/platform/write-model/hash-chain.js';
import { ReadStoreSnapshots, type SnapshotStore } from '../../../src/platform/write-model/snapshots.js';
import { type BenchCase, type Measure, type Workload } from '../harness/workload.js';

const HISTORY_LENGTHS = [1_000, 10_000, 100_000];
// A smoke run stops at 10k: writing and folding 100k events alone takes longer than its minute.
const QUICK_HISTORY_LENGTHS = [1_000, 10_000];
// Under the store's limit of 1 MiB of events per append (about 575 bytes an event here).
const BATCH = 1_000;
const WAREHOUSE = 'main';
const actor = { id: 'bench', roles: ['warehouse'] as const };

/**
 * One hot stock position's history, written as the repository would write it (same metadata, same
 * hash chain) but appended in large batches: an opening receipt, then per order a reservation followed
 * by a shipment (one order in ten is released instead). `events` events exactly.
 */
export type HistoryKind = 'orders' | 'receipts';

async function writeStockHistory(store: SqliteEventStore, sku: string, events: number, kind: HistoryKind = 'orders'): Promise<string> {
  const streamId = stockStream(WAREHOUSE, sku);
  let state: StockPosition = stockAggregate.initialState;
  let prevHash = GENESIS_HASH;
  let revision = 0;
  let batch: EventToAppend[] = [];
  const context = { actor: { ...actor, roles: [...actor.roles] }, now: '2026-11-29T08:00:00.000Z' };
  const flush = async () => {
    if (batch.length === 0) return;
    const expected = revision - batch.length - 1;
    await store.append(streamId, batch, expected < 0 ? 'no_stream' : BigInt(expected));
    batch = [];
  };
  const execute = async (command: StockCommand) => {
    const commandId = newId();
    for (const event of stockAggregate.decide(command, state, context) as StockEvent[]) {
      if (revision === events) return;
      const eventId = newId();
      const metadata = {
        commandId,
        correlationId: commandId,
        causationId: commandId,
        actor: context.actor,
        occurredAt: context.now,
        schemaVersion: stockAggregate.schemaVersion(event.type),
        prevHash,
      };
      const hash = chainHash(prevHash, { streamId, revision, eventId, type: event.type, data: event.data, metadata });
      batch.push({ eventId, type: event.type, data: event.data, metadata: { ...metadata, hash } });
      state = stockAggregate.evolve(state, event);
      prevHash = hash;
      revision++;
      if (batch.length === BATCH) await flush();
    }
  };
  await execute({ type: 'ReceiveStock', warehouseId: WAREHOUSE, sku, quantity: 1_000_000_000, note: 'opening stock' });
  // Receipts, stocktakes (盘点) and threshold changes: the history grows, the state does not.
  for (let i = 0; kind === 'receipts' && revision < events; i++) {
    if (i % 3 === 0) await execute({ type: 'ReceiveStock', warehouseId: WAREHOUSE, sku, quantity: 1 + (i % 7), note: `delivery ${i}` });
    else if (i % 3 === 1) await execute({ type: 'CountStock', warehouseId: WAREHOUSE, sku, countedQuantity: 1_000_000_000 + i, reason: `stocktake ${i}` });
    else await execute({ type: 'SetStockThresholds', warehouseId: WAREHOUSE, sku, min: i % 100, max: 2_000_000_000 });
  }
  for (let order = 0; revision < events; order++) {
    const orderId = `SO-${String(order).padStart(7, '0')}`;
    const quantity = 1 + (order % 5);
    await execute({ type: 'SetReservation', warehouseId: WAREHOUSE, sku, orderId, required: quantity, asOf: 1 });
    await execute(order % 10 === 9
      ? { type: 'SetReservation', warehouseId: WAREHOUSE, sku, orderId, required: 0, asOf: 2 }
      : { type: 'ShipStock', warehouseId: WAREHOUSE, sku, orderId, shippedTotal: quantity });
  }
  await flush();
  return streamId;
}

/** The order whose entry each timed load asks for, as a process step does: the first, long before the snapshot. */
const FIRST_ORDER = 'SO-0000000';

/** Milliseconds for a fresh repository (nothing cached) to load the position with one order's entry, as a process step does. */
async function timeLoad(store: SqliteEventStore, snapshots: SnapshotStore, streamId: string, events: number): Promise<number> {
  const repository = new AggregateRepository(store, snapshots);
  const started = performance.now();
  const loaded = await repository.load(stockAggregate, streamId, [orderKey(FIRST_ORDER)]);
  const elapsed = performance.now() - started;
  await repository.flushSnapshots();
  if (loaded.revision !== BigInt(events - 1)) throw new Error(`${streamId} loaded at revision ${String(loaded.revision)}, expected ${events - 1}`);
  orderEntry(loaded.state, FIRST_ORDER); // loaded with the entry it named (a partial state throws for any other)
  return elapsed;
}

export const aggregateLoadWorkload: Workload = {
  name: 'aggregate-load',
  title: 'Aggregate load: a stock position loaded by AggregateRepository.load from its snapshot, nothing cached',
  limits:
    `AggregateRepository.load starts from the stream's snapshot (read store view \`snapshots\`, taken every ${SNAPSHOT_EVERY.toLocaleString('en-US')} events) ` +
    'and folds only the events after it, so the number of events read is bounded. A stock position keeps one entry per order that ever touched it ' +
    '(a retried step of that order is a no-op; a late return is restocked at its cost), but its snapshot is partitioned: the totals in `snapshots`, ' +
    'each entry a row of `snapshot_entries`, and a load reads the totals and only the entries it names (here one order\'s) and those the events after ' +
    'the snapshot touch. Before partitioning, parsing every entry from the snapshot JSON cost about 1.4 ms per 1,000 orders (142 ms at 100k). ' +
    'The key filter of the snapshot (1.75 bytes per order the position ever saw; it spares a busy position the read of every new order\'s entry) ' +
    'is not read by a load, only once a loaded state has asked for 8 keys, in the background (read with the header, it cost 2.5 ms at 100k against 1.4 ms at 1k). ' +
    'What remains is the indexed lookup of the entries and the events after the snapshot, whatever the number of orders.',
  async prepare(options) {
    const lengths = options.quick ? QUICK_HISTORY_LENGTHS : HISTORY_LENGTHS;
    const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-aggregate-'));
    // The history is written once per harness run; `normal` only because nothing about it is timed.
    const store = SqliteEventStore.open({ dataDir: dir, durability: 'normal' });
    const views = SqliteReadStore.open({ dataDir: dir });
    const snapshots = await ReadStoreSnapshots.open(views);
    // Receipts: the history grows in events, the state does not. Orders: the issue's measure, "a stock position with
    // 100k orders in its history vs 1k": an opening receipt, then two events per order (reserve, then ship or release).
    const kinds: readonly { kind: HistoryKind; events: (size: number) => number; title: (size: number) => string; label: (size: number) => string }[] = [
      {
        kind: 'receipts',
        events: (size) => size,
        title: (size) => `${size.toLocaleString('en-US')} events in the stream (receipts, stocktakes and thresholds)`,
        label: (size) => `load of a ${size.toLocaleString('en-US')}-event stream`,
      },
      {
        kind: 'orders',
        events: (size) => 1 + 2 * size,
        title: (size) => `load of a stock position with ${size.toLocaleString('en-US')} orders in its history (${(1 + 2 * size).toLocaleString('en-US')} events)`,
        label: (size) => `same with ${size.toLocaleString('en-US')} orders`,
      },
    ];
    const streams = new Map<string, string>();
    const setupStarted = performance.now();
    for (const { kind, events } of kinds) {
      for (const size of lengths) {
        const streamId = await writeStockHistory(store, `BENCH-${kind}-${size}`, events(size), kind);
        streams.set(`${kind}-${size}`, streamId);
        await timeLoad(store, snapshots, streamId, events(size)); // untimed: folds the whole stream once and leaves its snapshot
      }
    }
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const measure = ({ kind, events, label }: (typeof kinds)[number], size: number): Measure => ({
      key: `load-${kind}-${size}`,
      label: label(size),
      run: () => timeLoad(store, snapshots, streams.get(`${kind}-${size}`)!, events(size)),
    });
    const cases: BenchCase[] = kinds.flatMap((k) =>
      lengths.map((size) => ({
        name: `stock-${k.kind}-${size}`,
        title: k.title(size),
        unit: 'ms',
        durability: 'n/a',
        higherIsBetter: false,
        subject: measure(k, size),
        // Flat means the figure does not grow with history: compared with the smallest history of the same kind.
        baseline: size === lengths[0] ? undefined : measure(k, lengths[0]),
        targets: size === lengths[0] ? undefined : [{ op: '<=', value: 1.5, on: 'ratio' as const }],
      })),
    );
    return {
      cases,
      notes: () => [
        `History: stock position streams written through the stock decider with the repository's metadata and hash chain, in batches of ${BATCH.toLocaleString('en-US')} (${setupSeconds.toFixed(1)} s to write them all); ` +
          `each run times \`new AggregateRepository(store, snapshots).load(stockAggregate, streamId, ['order:${FIRST_ORDER}'])\` after one untimed load has left a snapshot at the head ` +
          `(in service the snapshot trails the head by fewer than ${SNAPSHOT_EVERY.toLocaleString('en-US')} events, each a few µs to fold). "Flat" is read as: at most 1.5× the figure at 1k events (receipts) or 1k orders.`,
        'order histories: an opening receipt, then per order a reservation followed by a shipment (one order in ten released instead), so N orders are 1 + 2N events',
      ],
      async close() {
        await store.close();
        await views.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
