import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type FoldedView, type MappedView, type ProjectionGroup } from '../../../projections/index.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { type GenerationRef } from '../read-store/read-store.port.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { ProjectionRunner } from './projection-runner.js';
import { DEAD_LETTERS, type DeadLetter } from './view-catalog.js';

type NoteDoc = { readonly id: string; readonly position: string; readonly text: string };

/** One document per `note-<n>` stream; a `Poison` event makes the projection throw. */
const notesView: FoldedView<NoteDoc> = {
  kind: 'folded',
  name: 'notes',
  indexes: [],
  documentIds: (event) => [event.streamId],
  apply(_doc, event, id) {
    if (event.type === 'Poison') throw new Error(`cannot fold ${id}`);
    return { id, position: event.position, text: (event.data as { text: string }).text };
  },
};
const group: ProjectionGroup = { name: 'notes', version: 1, views: [notesView] };

describe('projection runner: batches and dead letters (real SQLite stores)', () => {
  let dataDir: string;
  let events: SqliteEventStore;
  let views: SqliteReadStore;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-runner-'));
    events = SqliteEventStore.open({ dataDir, durability: 'normal' });
    views = await SqliteReadStore.open({ dataDir });
    await views.ensureView({ name: notesView.name, indexes: [] });
    await views.ensureView(DEAD_LETTERS);
  });

  afterEach(async () => {
    await events.close();
    await views.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const note = (n: number, type = 'Noted') => events.append(`note-${n}`, [{ eventId: crypto.randomUUID(), type, data: { text: `note ${n}` }, metadata: {} }], 'any');
  const liveTargets = async () => new Map<string, GenerationRef>([[notesView.name, { view: notesView.name, generation: await views.liveGeneration(notesView.name) }]]);

  it('an event the projection cannot take is tried 3 times, recorded in dead_letters and skipped by the view; the others are applied', async () => {
    for (const n of [1, 2]) await note(n);
    const poison = await note(3, 'Poison');
    for (const n of [4, 5]) await note(n);
    const letters: DeadLetter[] = [];
    const runner = new ProjectionRunner(group, events, views, { maxBatch: 10, clock: () => '2026-01-01T00:00:00.000Z', observer: { deadLettered: (_view, letter) => letters.push(letter) } });

    const result = await runner.catchUp(await liveTargets());

    expect(result.events).toBe(5);
    for (const n of [1, 2, 4, 5]) expect(await views.get<NoteDoc>(notesView.name, `note-${n}`)).toMatchObject({ text: `note ${n}` });
    expect(await views.get(notesView.name, 'note-3')).toBeUndefined();
    const stored = (await views.get(DEAD_LETTERS.name, `notes@${poison.position}`)) as DeadLetter | undefined;
    expect(stored).toMatchObject({ projection: 'notes', group: 'notes', streamId: 'note-3', type: 'Poison', attempts: 3, position: poison.position, at: '2026-01-01T00:00:00.000Z' });
    expect(stored?.error).toContain('cannot fold note-3');
    expect(letters.map((letter) => letter.streamId)).toEqual(['note-3']);
    expect(runner.position(notesView.name)).toBe(await events.headPosition());
  });

  it("a batch whose write fails is projected again from the store: the group's views end as a replay of the log", async () => {
    type Tally = { readonly id: string; readonly position: string; readonly total: number };
    const tallies: FoldedView<Tally> = {
      kind: 'folded',
      name: 'tallies',
      indexes: [],
      documentIds: (event) => [(event.data as { account: string }).account],
      apply: (doc, event, id) => ({ id, position: event.position, total: (doc?.total ?? 0) + (event.data as { amount: number }).amount }),
    };
    const bigOnes: MappedView<Tally> = { kind: 'mapped', name: 'big_ones', indexes: [], source: 'tallies', map: (doc) => (doc.total >= 10 ? doc : null) };
    const talliesGroup: ProjectionGroup = { name: 'tallies', version: 1, views: [notesView, tallies, bigOnes] };
    for (const view of ['tallies', 'big_ones']) await views.ensureView({ name: view, indexes: [] });
    const add = (account: string, amount: number) => events.append(`entry-${crypto.randomUUID()}`, [{ eventId: crypto.randomUUID(), type: 'Added', data: { account, amount, text: 'entry' }, metadata: {} }], 'no_stream');
    for (const [account, amount] of [['a', 4], ['b', 1], ['a', 3]] as const) await add(account, amount);
    // The second write of the group fails once, as a disk that errs for a moment.
    let writes = 0;
    const failingOnce = new Proxy(views, {
      get(target, property) {
        if (property !== 'writeBatches') return Reflect.get(target, property, target) as unknown;
        return (batches: Parameters<SqliteReadStore['writeBatches']>[0]) =>
          ++writes === 2 ? Promise.reject(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })) : target.writeBatches(batches);
      },
    });
    const runner = new ProjectionRunner(talliesGroup, events, failingOnce, { maxBatch: 10, maxDelayMs: 5 });
    runner.start();
    try {
      await add('a', 5);
      const last = await add('b', 2);
      expect(await runner.waitFor('big_ones', last.position, 10_000)).toBe(true);
    } finally {
      await runner.stop();
    }

    expect(writes).toBeGreaterThan(2);
    expect(await views.get<Tally>('tallies', 'a')).toMatchObject({ total: 12 });
    expect(await views.get<Tally>('tallies', 'b')).toMatchObject({ total: 3 });
    expect(await views.get<Tally>('big_ones', 'a')).toMatchObject({ total: 12 });
    expect(await views.get('big_ones', 'b')).toBeUndefined();
  });

  it('a catch-up while the log keeps growing ends: it reads on to the new head a bounded number of times, and a following runner applies the rest', async () => {
    for (let n = 1; n <= 30; n++) await note(n);
    const runner = new ProjectionRunner(group, events, views, { maxBatch: 10 });
    let appended = 0;
    const appends: Promise<unknown>[] = [];

    // Ten more events for every batch written: more than a batch arrives during every round, as under a steady load. The
    // guard stops the appends at 5,000, where a catch-up that reads for as long as the log grows would end.
    const result = await runner.catchUp(await liveTargets(), () => {
      if (appended >= 5_000) return;
      for (let i = 0; i < 10; i++) appends.push(note(1_000 + ++appended));
    });
    await Promise.all(appends);

    expect(appended).toBeLessThan(5_000);
    expect(events.comparePositions(result.position!, (await events.headPosition())!)).toBeLessThan(0);
    const follower = new ProjectionRunner(group, events, views, { maxDelayMs: 10 });
    follower.start();
    try {
      expect(await follower.waitFor(notesView.name, (await events.headPosition())!, 10_000)).toBe(true);
    } finally {
      await follower.stop();
    }
    expect(await views.count(notesView.name)).toBe(30 + appended);
  });

  it('following the log: events appended later are applied, and waitFor resolves once the view has them', async () => {
    await note(1);
    const runner = new ProjectionRunner(group, events, views, { maxDelayMs: 10 });
    runner.start();
    try {
      const later = await note(2);
      expect(await runner.waitFor(notesView.name, later.position, 10_000)).toBe(true);
      expect(await views.get<NoteDoc>(notesView.name, 'note-1')).toMatchObject({ text: 'note 1' });
      expect(await views.get<NoteDoc>(notesView.name, 'note-2')).toMatchObject({ text: 'note 2', position: later.position });
      expect(runner.status()).toMatchObject({ group: 'notes', status: 'running', lastError: null });
    } finally {
      await runner.stop();
    }
    expect(runner.status().status).toBe('stopped');
  });
});
