import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type StockCommand, type StockEvent, type StockPosition } from '../../../domain/stock/index.js';
import { stockStream } from '../../../domain/shared/streams.js';
import { type EventToAppend } from '../../../src/event-store/event-store.port.js';
import { SqliteEventStore } from '../../../src/infrastructure/sqlite/event-store/sqlite-event-store.js';
import { newId } from '../../../src/shared/ids.js';
import { AggregateRepository } from '../../../src/write-model/aggregate-repository.js';
import { stockAggregate } from '../../../src/write-model/aggregates.js';
import { chainHash, GENESIS_HASH } from '../../../src/write-model/hash-chain.js';
import { type BenchCase, type Measure, type Workload } from '../harness/workload.js';

const HISTORY_LENGTHS = [1_000, 10_000, 100_000];
// A smoke run stops at 10k: writing and folding 100k events alone takes longer than its minute.
const QUICK_HISTORY_LENGTHS = [1_000, 10_000];
const BATCH = 2_000;
const WAREHOUSE = 'main';
const actor = { id: 'bench', roles: ['warehouse'] as const };

/**
 * One hot stock position's history, written as the repository would write it (same metadata, same
 * hash chain) but appended in large batches: an opening receipt, then per order a reservation followed
 * by a shipment (one order in ten is released instead). `events` events exactly.
 */
export async function writeStockHistory(store: SqliteEventStore, sku: string, events: number): Promise<string> {
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
  for (let order = 0; revision < events; order++) {
    const orderId = `SO-${String(order).padStart(7, '0')}`;
    await execute({ type: 'ReserveStock', warehouseId: WAREHOUSE, sku, orderId, quantity: 1 + (order % 5) });
    await execute(order % 10 === 9 ? { type: 'ReleaseStock', warehouseId: WAREHOUSE, sku, orderId } : { type: 'ShipStock', warehouseId: WAREHOUSE, sku, orderId });
  }
  await flush();
  return streamId;
}

/** Milliseconds for a fresh repository (nothing cached) to read and fold the whole stream. */
async function timeLoad(store: SqliteEventStore, streamId: string, events: number): Promise<number> {
  const repository = new AggregateRepository(store);
  const started = performance.now();
  const loaded = await repository.load(stockAggregate, streamId);
  const elapsed = performance.now() - started;
  if (loaded.revision !== BigInt(events - 1)) throw new Error(`${streamId} loaded at revision ${String(loaded.revision)}, expected ${events - 1}`);
  return elapsed;
}

export const aggregateLoadWorkload: Workload = {
  name: 'aggregate-load',
  title: 'Aggregate load: a stock position read and folded by AggregateRepository.load, nothing cached',
  limits:
    'AggregateRepository.load reads the whole stream (pages of 512 rows), JSON-parses data and metadata of every event, upcasts and ' +
    'folds it: the time is linear in the number of events, so the figure is not flat. Flat needs a snapshot of the state ' +
    '(or a cached state) so that only the events after it are read.',
  async prepare(options) {
    const lengths = options.quick ? QUICK_HISTORY_LENGTHS : HISTORY_LENGTHS;
    const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-aggregate-'));
    // The history is written once per harness run; `normal` only because nothing about it is timed.
    const store = SqliteEventStore.open({ dataDir: dir, durability: 'normal' });
    const streams = new Map<number, string>();
    const setupStarted = performance.now();
    for (const events of lengths) {
      const streamId = await writeStockHistory(store, `BENCH-${events}`, events);
      streams.set(events, streamId);
      await timeLoad(store, streamId, events); // untimed: JIT and page cache
    }
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    const measure = (events: number): Measure => ({
      key: `load-${events}`,
      label: `load of a ${events.toLocaleString('en-US')}-event stream`,
      run: () => timeLoad(store, streams.get(events)!, events),
    });
    const cases: BenchCase[] = lengths.map((events) => ({
      name: `stock-${events}`,
      title: `${events.toLocaleString('en-US')} events in the stream`,
      unit: 'ms',
      durability: 'n/a',
      higherIsBetter: false,
      subject: measure(events),
      // Flat means the figure does not grow with history: compared with the 1k-event stream.
      baseline: events === lengths[0] ? undefined : measure(lengths[0]),
      targets: events === lengths[0] ? undefined : [{ op: '<=', value: 1.5, on: 'ratio' }],
    }));
    return {
      cases,
      notes: () => [
        `History: stock position streams written through the stock decider with the repository's metadata and hash chain, in batches of ${BATCH.toLocaleString('en-US')} (${setupSeconds.toFixed(1)} s to write them all); ` +
          'each run times `new AggregateRepository(store).load(stockAggregate, streamId)`. "Flat" is read as: at most 1.5× the 1k-event figure.',
      ],
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
