import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DomainError } from '../../../domain/shared/domain-error.js';
import { type Config } from '../config/config.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { newId } from '../ids.js';
import { AggregateRepository } from './aggregate-repository.js';
import { type AggregateType } from './aggregate-type.js';
import { type CommandMetadata } from './command-metadata.js';

// Stock with a ceiling: a decision that depends on the state (a reservation refused when nothing is left).
type StockEvent = { type: 'Reserved'; data: { quantity: number } };
type StockCommand = { type: 'Reserve'; quantity: number; ceiling: number };
const stock: AggregateType<number, StockCommand, StockEvent> = {
  name: 'stock',
  initialState: 0,
  decide(command, state) {
    if (state + command.quantity > command.ceiling) throw new DomainError('insufficient_stock', 'nothing left');
    return [{ type: 'Reserved', data: { quantity: command.quantity } }];
  },
  evolve: (state, event) => state + event.data.quantity,
  upcast: (type, _version, data) => ({ type: type as 'Reserved', data: data as { quantity: number } }),
  schemaVersion: () => 1,
};

const meta = (): CommandMetadata => {
  const commandId = newId();
  return { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'alice', roles: ['clerk'] }, now: '2026-12-02T00:00:00.000Z' };
};
const reserve = (quantity: number): StockCommand => ({ type: 'Reserve', quantity, ceiling: 3 });
const ticks = async (count: number) => {
  for (let tick = 0; tick < count; tick++) await null;
};

// JXC_WORKERS > 1: two "processes", each a store connection and a repository, on one events.sqlite.
describe('AggregateRepository with several processes on one embedded store', () => {
  let dataDir: string;
  let stores: SqliteEventStore[];
  let mine: AggregateRepository;
  let theirs: AggregateRepository;
  const config = { workers: 2 } as Config;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-repo-shared-'));
    stores = [0, 1].map(() => SqliteEventStore.open({ dataDir, durability: 'full', sharedWriters: true }));
    mine = new AggregateRepository(stores[0], undefined, config);
    theirs = new AggregateRepository(stores[1], undefined, config);
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a command pipelined behind an append that another process beat to its revision is decided again, never accepted on a state that never existed', async () => {
    await mine.execute(stock, 'stock-1', reserve(1), meta()); // 1 of 3 reserved, cached by both
    await theirs.load(stock, 'stock-1');

    // The other process reserves the last 2: decided and queued, committed at the next turn of its event loop.
    const theirReservation = theirs.execute(stock, 'stock-1', reserve(2), meta());
    await ticks(50);
    // Meanwhile this process reserves 1 on its cached state (1 reserved), and another 1 pipelined behind it (2 reserved).
    const first = mine.execute(stock, 'stock-1', reserve(1), meta());
    const pipelined = mine.execute(stock, 'stock-1', reserve(1), meta());
    const outcomes = await Promise.allSettled([theirReservation, first, pipelined]);

    // Their append took revision 1, so `first` failed; `pipelined` expected revision 1 on a state with `first` in it.
    // Accepted on the revision alone, 4 of 3 would be reserved.
    expect(mine.stats().conflicts).toBeGreaterThan(0);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'reserved' : (o.reason as DomainError).code))).toEqual(['reserved', 'insufficient_stock', 'insufficient_stock']);
    const stored = await new AggregateRepository(stores[0]).load(stock, 'stock-1');
    expect(stored.state).toBe(3);
    expect(stored.revision).toBe(1n);
  });

  it('pipelines a hot stream again: 200 concurrent commands through one process share few group commits', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, () => mine.execute(stock, 'stock-hot', { type: 'Reserve', quantity: 1, ceiling: 150 }, meta())));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(150);
    expect(stores[0].stats().commits).toBeLessThan(20);
    expect((await new AggregateRepository(stores[1]).load(stock, 'stock-hot')).state).toBe(150);
  });

  it('two processes reserving on one stream at once never reserve past the ceiling', async () => {
    const both = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? mine : theirs).execute(stock, 'stock-both', { type: 'Reserve', quantity: 1, ceiling: 50 }, meta())),
    );
    const reserved = both.filter((o) => o.status === 'fulfilled').length;
    const refused = both.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code);
    expect(refused.every((code) => code === 'insufficient_stock')).toBe(true);
    expect(reserved).toBe(50);
    expect((await new AggregateRepository(stores[0]).load(stock, 'stock-both')).state).toBe(50);
  });
});
