import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { isDomainError } from '../../../domain/index.js';
import { type StockCommand } from '../../../domain/stock/commands.js';
import { stockHeader } from '../../../domain/stock/partition.js';
import { orderEntry, orderKey, type StockPosition, transferEntry, transferKey } from '../../../domain/stock/state.js';
import { type Config } from '../config/config.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { newId } from '../ids.js';
import { MongoReadStore } from '../read-store/mongodb/mongodb-read-store.js';
import { type ReadStore } from '../read-store/read-store.port.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { dropDatabase } from '../../../test/support/mongodb.js';
import { AggregateRepository } from './aggregate-repository.js';
import { stockAggregate } from './aggregates.js';
import { type CommandMetadata } from './command-metadata.js';
import { KEYS_BEFORE_FILTER } from './key-filter.js';
import { ReadStoreSnapshots, type Snapshot, type SnapshotStore } from './snapshots.js';

/**
 * The snapshots, with two faults:
 * - every third header write fails after its entries and key filter were written (a crash between them): those rows
 *   and that filter stay, unnamed by any header, and the next snapshot's header must still read only what is right;
 * - every fourth key filter write is followed by the one before it (an older snapshot's writer, another process or
 *   an earlier save still in flight, landing last): the header then stands on a filter older than itself, which does
 *   not hold the keys written since and must not be used with it.
 */
function faultySnapshots(store: SnapshotStore): SnapshotStore {
  let saves = 0;
  let filters = 0;
  let previousFilter: Parameters<SnapshotStore['saveKeyFilter']> | undefined;
  return {
    load: (streamId) => store.load(streamId),
    save: async (snapshot: Snapshot) => {
      if (++saves % 3 === 0) throw new Error('injected: the header write failed after its entries');
      await store.save(snapshot);
    },
    saveEntries: (streamId, revision, position, entries) => store.saveEntries(streamId, revision, position, entries),
    loadEntries: (streamId, keys, asOf) => store.loadEntries(streamId, keys, asOf),
    saveKeyFilter: async (...args) => {
      await store.saveKeyFilter(...args);
      if (++filters % 4 === 0 && previousFilter !== undefined) await store.saveKeyFilter(...previousFilter);
      previousFilter = args;
    },
    loadKeyFilter: (streamId) => store.loadKeyFilter(streamId),
  };
}

/*
 * A stock position is snapshotted in parts (a header with its totals, one row per order and transfer entry) and
 * loaded in part: the header, the entries a command names and those the events after the snapshot changed.
 * Random commands on one position, several at once (pipelined on the stream), with a snapshot every 3 events,
 * every third snapshot interrupted before its header, every fourth key filter overwritten by an older one
 * (faultySnapshots), and "restarts" (a new repository, nothing
 * cached) in between; after each step, every order and transfer entry and the totals, read through the
 * partitioned load, equal a fold of the whole stream from its first event.
 */

const STREAM = 'stock-main-PART-1';
const ORDERS = 8;
const TRANSFERS = 4;
const base = { warehouseId: 'main', sku: 'PART-1' };
const meta = (): CommandMetadata => {
  const commandId = newId();
  return { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'w1', roles: ['warehouse'] }, now: '2026-12-02T00:00:00.000Z' };
};

type Step =
  | { readonly kind: 'reserve'; readonly order: number; readonly quantity: number }
  | { readonly kind: 'ship'; readonly order: number; readonly quantity: number }
  | { readonly kind: 'return'; readonly order: number; readonly quantity: number }
  | { readonly kind: 'receive'; readonly quantity: number }
  | { readonly kind: 'transfer'; readonly transfer: number; readonly quantity: number }
  | { readonly kind: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('reserve' as const), order: fc.nat(ORDERS - 1), quantity: fc.nat(4) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('ship' as const), order: fc.nat(ORDERS - 1), quantity: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('return' as const), order: fc.nat(ORDERS - 1), quantity: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('receive' as const), quantity: fc.integer({ min: 1, max: 9 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), transfer: fc.nat(TRANSFERS - 1), quantity: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

/** Where the snapshots are kept: the embedded read store, and MongoDB when MONGODB_URL is set (FerretDB in CI). */
interface Backend {
  readonly name: string;
  readonly runs: number;
  open(dir: string): Promise<{ views: ReadStore; destroy(): Promise<void> }>;
}
const mongodbUrl = process.env.MONGODB_URL;
let databases = 0;
const backends: Backend[] = [
  { name: 'SQLite read store', runs: 25, open: async (dir) => ({ views: SqliteReadStore.open({ dataDir: dir }), destroy: async () => undefined }) },
  ...(mongodbUrl
    ? [{
        name: `MongoDB (${mongodbUrl})`,
        runs: 6,
        open: async () => {
          const databaseName = `jxc_partitioned_${newId().slice(-8)}_${databases++}`;
          return { views: await MongoReadStore.connect({ url: mongodbUrl, databaseName }), destroy: () => dropDatabase(mongodbUrl, databaseName) };
        },
      }]
    : []),
];
if (!mongodbUrl) process.stdout.write('partitioned snapshots on MongoDB skipped: MONGODB_URL is not set\n');

describe.each(backends)('partitioned snapshots ($name): a stock position loaded in part decides as if it were whole', (backend) => {
  let dataDir: string;
  let events: SqliteEventStore;
  let views: ReadStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-partitioned-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every entry and the totals, read through a partitioned load, against a fold of the whole stream. */
  async function expectSameAsWhole(repository: AggregateRepository): Promise<void> {
    const whole = (await new AggregateRepository(events).load(stockAggregate, STREAM)).state;
    const orderIds = Array.from({ length: ORDERS }, (_, i) => `SO-${i}`);
    const transferIds = Array.from({ length: TRANSFERS }, (_, i) => `TR-${i}`);
    const keys = [...orderIds.map(orderKey), ...transferIds.map(transferKey)];
    const inPart: StockPosition = (await repository.load(stockAggregate, STREAM, keys)).state;
    expect(stockHeader(inPart)).toEqual(stockHeader(whole));
    for (const orderId of orderIds) expect([orderId, orderEntry(inPart, orderId)]).toEqual([orderId, orderEntry(whole, orderId)]);
    for (const transferId of transferIds) expect([transferId, transferEntry(inPart, transferId)]).toEqual([transferId, transferEntry(whole, transferId)]);
  }

  it('random commands, three at a time, with restarts: every entry and total equals the whole fold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(step, { minLength: 1, maxLength: 3 }), { minLength: 5, maxLength: 25 }), async (batches) => {
        const dir = mkdtempSync(join(dataDir, 'run-'));
        events = SqliteEventStore.open({ dataDir: dir, durability: 'normal' });
        const opened = await backend.open(dir);
        views = opened.views;
        try {
          const snapshots = faultySnapshots(await ReadStoreSnapshots.open(views));
          const config = { snapshotEvery: 3 } as Config;
          let repository = new AggregateRepository(events, snapshots, config);
          const asOf = new Map<number, number>();
          const shipped = new Map<number, number>();
          const returned = new Map<number, number>();
          const execute = async (command: StockCommand) => {
            try {
              await repository.execute(stockAggregate, STREAM, command, meta());
            } catch (error) {
              if (!isDomainError(error)) throw error; // a refusal (not enough stock) is an answer, not a failure
            }
          };
          await execute({ ...base, type: 'ReceiveStock', quantity: 20 });
          for (const batch of batches) {
            const commands: StockCommand[] = [];
            for (const next of batch) {
              switch (next.kind) {
                case 'restart':
                  await repository.flushSnapshots();
                  repository = new AggregateRepository(events, snapshots, config);
                  break;
                case 'reserve': {
                  const version = (asOf.get(next.order) ?? 0) + 1;
                  asOf.set(next.order, version);
                  commands.push({ ...base, type: 'SetReservation', orderId: `SO-${next.order}`, required: next.quantity, asOf: version });
                  break;
                }
                case 'ship': {
                  const total = (shipped.get(next.order) ?? 0) + next.quantity;
                  shipped.set(next.order, total);
                  commands.push({ ...base, type: 'ShipStock', orderId: `SO-${next.order}`, shippedTotal: total });
                  break;
                }
                case 'return': {
                  const total = (returned.get(next.order) ?? 0) + next.quantity;
                  returned.set(next.order, total);
                  commands.push({ ...base, type: 'ReturnToStock', orderId: `SO-${next.order}`, returnedTotal: total });
                  break;
                }
                case 'receive':
                  commands.push({ ...base, type: 'ReceiveStock', quantity: next.quantity });
                  break;
                case 'transfer':
                  commands.push({ ...base, type: 'TransferStockOut', transferId: `TR-${next.transfer}`, to: 'north', quantity: next.quantity });
                  break;
              }
            }
            // Several at once: each decides on the state its predecessor left, its append pipelined behind theirs.
            await Promise.all(commands.map(execute));
            await expectSameAsWhole(repository);
          }
          await repository.flushSnapshots();
          await expectSameAsWhole(new AggregateRepository(events, snapshots, config));
        } finally {
          await events.close();
          await views.close();
          await opened.destroy();
        }
      }),
      { numRuns: backend.runs },
    );
  });

  it('one process stores a stream\'s snapshots in revision order: a slow write does not land after a later snapshot\'s', async () => {
    events = SqliteEventStore.open({ dataDir, durability: 'normal' });
    const opened = await backend.open(dataDir);
    views = opened.views;
    try {
      const snapshots = await ReadStoreSnapshots.open(views);
      let entryWrites = 0;
      // The first snapshot's entries take 200 ms to write (a slow disk, a busy MongoDB); the later ones are quick.
      const slowFirst: SnapshotStore = {
        load: (streamId) => snapshots.load(streamId),
        save: (snapshot) => snapshots.save(snapshot),
        saveEntries: async (streamId, revision, position, entries) => {
          if (entryWrites++ === 0) await new Promise((resolve) => setTimeout(resolve, 200));
          await snapshots.saveEntries(streamId, revision, position, entries);
        },
        loadEntries: (streamId, keys, asOf) => snapshots.loadEntries(streamId, keys, asOf),
        saveKeyFilter: (...args) => snapshots.saveKeyFilter(...args),
        loadKeyFilter: (streamId) => snapshots.loadKeyFilter(streamId),
      };
      const writer = new AggregateRepository(events, slowFirst, { snapshotEvery: 3 } as Config);
      await writer.execute(stockAggregate, STREAM, { ...base, type: 'ReceiveStock', quantity: 10 }, meta());
      for (let order = 0; order < 5; order++) {
        await writer.execute(stockAggregate, STREAM, { ...base, type: 'SetReservation', orderId: `SO-${order}`, required: 1, asOf: 1 }, meta());
      }
      await writer.flushSnapshots();
      expect(entryWrites).toBe(2);
      // Six events (revisions 0–5): snapshots at 2 and 5. The last stored is the one at 5, with its key filter.
      expect((await snapshots.load(STREAM))?.revision).toBe(5n);
      expect((await snapshots.loadKeyFilter(STREAM))?.revision).toBe(5n);
    } finally {
      await events.close();
      await views.close();
      await opened.destroy();
    }
  });

  it('a position loaded in part refuses to answer for an entry it did not load', async () => {
    events = SqliteEventStore.open({ dataDir, durability: 'normal' });
    const opened = await backend.open(dataDir);
    views = opened.views;
    try {
      const snapshots = await ReadStoreSnapshots.open(views);
      const config = { snapshotEvery: 3 } as Config;
      const writer = new AggregateRepository(events, snapshots, config);
      await writer.execute(stockAggregate, STREAM, { ...base, type: 'ReceiveStock', quantity: 10 }, meta());
      for (let order = 0; order < 4; order++) {
        await writer.execute(stockAggregate, STREAM, { ...base, type: 'SetReservation', orderId: `SO-${order}`, required: 1, asOf: 1 }, meta());
      }
      // 20 events in all, the last snapshot at revision 17.
      for (let receipt = 0; receipt < 15; receipt++) await writer.execute(stockAggregate, STREAM, { ...base, type: 'ReceiveStock', quantity: 1 }, meta());
      await writer.flushSnapshots();
      const loaded = (await new AggregateRepository(events, snapshots, config).load(stockAggregate, STREAM, [orderKey('SO-3')])).state;
      expect(loaded.partial).toBeDefined();
      expect(orderEntry(loaded, 'SO-3').reserved).toBe(1);
      expect(() => orderEntry(loaded, 'SO-0')).toThrow('loaded without order:SO-0');
      expect(() => transferEntry(loaded, 'TR-0')).toThrow('loaded without transfer:TR-0');
      // A command names its own entry: SO-0's reservation (made before the snapshot) is found, so a repeat is a no-op.
      const read: string[] = [];
      const counted: SnapshotStore = {
        load: (streamId) => snapshots.load(streamId),
        save: (snapshot) => snapshots.save(snapshot),
        saveEntries: (streamId, revision, position, entries) => snapshots.saveEntries(streamId, revision, position, entries),
        loadEntries: (streamId, keys, asOf) => {
          read.push(...keys);
          return snapshots.loadEntries(streamId, keys, asOf);
        },
        saveKeyFilter: (...args) => snapshots.saveKeyFilter(...args),
        loadKeyFilter: (streamId) => {
          filterReads++;
          const reading = snapshots.loadKeyFilter(streamId);
          filterRead = reading;
          return reading;
        },
      };
      let filterReads = 0;
      let filterRead: Promise<unknown> | undefined;
      // Snapshots every 20 events: it loads from the one at revision 17, and takes none while this test runs.
      const fresh = new AggregateRepository(events, counted, { snapshotEvery: 20 } as Config);
      const repeated = await fresh.execute(stockAggregate, STREAM, { ...base, type: 'SetReservation', orderId: 'SO-0', required: 1, asOf: 1 }, meta());
      expect(repeated.events).toEqual([]);
      expect(read).toContain(orderKey('SO-0'));
      // The key filter (it grows with every order the position saw) is not read for a load, nor for the first few
      // keys (SO-0's and the next new orders'): a new order's entry is read, finds nothing, and the order reserves.
      expect(filterReads).toBe(0);
      const place = (orderId: string) => fresh.execute(stockAggregate, STREAM, { ...base, type: 'SetReservation', orderId, required: 1, asOf: 1 }, meta());
      for (let order = 0; order < KEYS_BEFORE_FILTER - 2; order++) {
        expect((await place(`SO-new-${order}`)).events.map((event) => event.type)).toEqual(['StockReserved']);
      }
      expect(read).toContain(orderKey('SO-new-0'));
      expect(filterReads).toBe(0);
      // A busy lineage reads it once, after its turn; from then on a new order's entry is certainly not stored: no read.
      await place('SO-new-last');
      await new Promise((resolve) => setImmediate(resolve));
      expect(filterReads).toBe(1);
      // The read is a round trip on MongoDB: wait for it to land, and for the lineage to take the filter it answered.
      await filterRead;
      await new Promise((resolve) => setImmediate(resolve));
      read.length = 0;
      const placed = await place('SO-new');
      expect(placed.events.map((event) => event.type)).toEqual(['StockReserved']);
      expect(read).not.toContain(orderKey('SO-new'));
      // An entry the snapshot holds is still read (the filter says "maybe"): SO-1's repeat is a no-op.
      const again = await fresh.execute(stockAggregate, STREAM, { ...base, type: 'SetReservation', orderId: 'SO-1', required: 1, asOf: 1 }, meta());
      expect(again.events).toEqual([]);
      expect(read).toContain(orderKey('SO-1'));
      expect(filterReads).toBe(1);
    } finally {
      await events.close();
      await views.close();
      await opened.destroy();
    }
  });
});
