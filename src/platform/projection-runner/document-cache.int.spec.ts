import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type FoldedView, type ProjectionGroup } from '../../../projections/index.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { type GenerationRef, type ReadStore } from '../read-store/read-store.port.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { estimatedJsonBytes } from './document-cache.js';
import { ProjectionRunner } from './projection-runner.js';
import { DEAD_LETTERS } from './view-catalog.js';

type LedgerDoc = { readonly id: string; readonly position: string; readonly lines: readonly string[] };

/** One document per `ledger-<n>` stream; each event adds its line, so a document grows with its stream. */
const ledgersView: FoldedView<LedgerDoc> = {
  kind: 'folded',
  name: 'ledgers',
  indexes: [],
  documentIds: (event) => [event.streamId],
  apply: (doc, event, id) => ({ id, position: event.position, lines: [...(doc?.lines ?? []), (event.data as { line: string }).line] }),
};
const group: ProjectionGroup = { name: 'ledgers', version: 1, views: [ledgersView] };

const BUDGET = 40_000;

describe('the projection runner\'s document cache is bounded by bytes, not by a number of documents (real SQLite stores)', () => {
  let dataDir: string;
  let events: SqliteEventStore;
  let views: SqliteReadStore;
  /** The ids the runner asked the read store for, per getMany. */
  let reads: string[];
  let counted: ReadStore;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-doc-cache-'));
    events = SqliteEventStore.open({ dataDir, durability: 'normal' });
    views = SqliteReadStore.open({ dataDir });
    await views.ensureView({ name: ledgersView.name, indexes: [] });
    await views.ensureView(DEAD_LETTERS);
    reads = [];
    counted = new Proxy(views, {
      get(target, property, receiver) {
        if (property === 'getMany') {
          return (view: unknown, ids: readonly string[]) => {
            reads.push(...ids);
            return target.getMany(view as string, ids);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  });

  afterEach(async () => {
    await events.close();
    await views.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const targets = async () => new Map<string, GenerationRef>([[ledgersView.name, { view: ledgersView.name, generation: await views.liveGeneration(ledgersView.name) }]]);

  /** Two rounds of one line on each of `count` ledgers: the second round finds each ledger written by the first. */
  async function twoRounds(count: number, lineBytes: number): Promise<void> {
    for (const round of [1, 2]) {
      for (let n = 0; n < count; n++) {
        const line = `${round}:${n}:`.padEnd(lineBytes, 'x');
        await events.append(`ledger-${n}`, [{ eventId: crypto.randomUUID(), type: 'LineAdded', data: { line }, metadata: {} }], 'any');
      }
    }
  }

  it('small documents all stay: the second batch reads none of them back', async () => {
    await twoRounds(20, 500);
    const runner = new ProjectionRunner(group, events, counted, { maxBatch: 20, cacheBytes: BUDGET });

    expect((await runner.catchUp(await targets())).events).toBe(40);

    // The first batch asked once for the 20 ledgers (none written yet); the second found them all in memory.
    expect(reads).toHaveLength(20);
    for (let n = 0; n < 20; n++) expect((await views.get<LedgerDoc>(ledgersView.name, `ledger-${n}`))?.lines).toEqual([`1:${n}:`.padEnd(500, 'x'), `2:${n}:`.padEnd(500, 'x')]);
  });

  it('large documents: as many as the bytes allow stay, the others are read back, and every document comes out whole', async () => {
    await twoRounds(20, 5_000);
    const runner = new ProjectionRunner(group, events, counted, { maxBatch: 20, cacheBytes: BUDGET });

    expect((await runner.catchUp(await targets())).events).toBe(40);

    // Each ledger is about 5 kB after the first batch: 7 fit in 40 kB, so the second batch reads back the 13 others.
    const perLedger = estimatedJsonBytes({ id: 'ledger-10', position: '20', lines: ['x'.repeat(5_000)] });
    const kept = Math.floor(BUDGET / (perLedger + 'ledger-10'.length));
    expect(kept).toBe(7);
    expect(reads).toHaveLength(20 + (20 - kept));
    for (let n = 0; n < 20; n++) expect((await views.get<LedgerDoc>(ledgersView.name, `ledger-${n}`))?.lines).toEqual([`1:${n}:`.padEnd(5_000, 'x'), `2:${n}:`.padEnd(5_000, 'x')]);
  });

  it('a document that outgrows the whole budget leaves the cache (its older copy too): the next batch reads it back and folds it right', async () => {
    for (const line of ['1'.padEnd(BUDGET / 2, 'x'), '2'.padEnd(BUDGET / 2, 'x'), '3', '4']) {
      await events.append('ledger-big', [{ eventId: crypto.randomUUID(), type: 'LineAdded', data: { line }, metadata: {} }], 'any');
    }
    const runner = new ProjectionRunner(group, events, counted, { maxBatch: 1, cacheBytes: BUDGET });

    expect((await runner.catchUp(await targets())).events).toBe(4);

    // Batch 1 reads (nothing yet); batch 2 finds the one-line ledger (20 kB) in memory; with two lines (40 kB) it is
    // over the budget and leaves; batches 3 and 4 read it back (folding the older copy would have lost line 2).
    expect(reads).toEqual(['ledger-big', 'ledger-big', 'ledger-big']);
    expect((await views.get<LedgerDoc>(ledgersView.name, 'ledger-big'))?.lines.map((line) => line[0])).toEqual(['1', '2', '3', '4']);
  });
});
