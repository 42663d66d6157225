import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';

import { type FoldedView, type ProjectionGroup } from '../../../projections/index.js';
import { DelegatingEventStore } from '../event-store/delegating-event-store.js';
import {
  type AppendResult,
  EVENT_PAGES,
  type EventStore,
  eventPages,
  type PagedEvents,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store/event-store.port.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { type GenerationRef } from '../read-store/read-store.port.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { ProjectionRunner } from './projection-runner.js';
import { SharedLog } from './shared-log.js';
import { DEAD_LETTERS } from './view-catalog.js';

/**
 * The real SQLite store, counting every event its reads of the log hand out (readAll and subscriptions). `paged`:
 * it hands them out a page at a time too (EVENT_PAGES), as the embedded store does; else one at a time only, as a
 * store without pages (EventStoreDB's adapter).
 */
class CountingStore extends DelegatingEventStore {
  read = 0;

  constructor(
    inner: EventStore,
    private readonly paged: boolean,
  ) {
    super(inner);
  }

  private async *counted(source: AsyncIterable<RecordedEvent>): AsyncGenerator<RecordedEvent> {
    for await (const event of source) {
      this.read += 1;
      yield event;
    }
  }

  private async *countedPages(source: AsyncIterable<RecordedEvent>): AsyncGenerator<readonly RecordedEvent[]> {
    for await (const page of { [Symbol.asyncIterator]: () => eventPages(source) }) {
      this.read += page.length;
      yield page;
    }
  }

  private counting(source: AsyncIterable<RecordedEvent>): AsyncIterable<RecordedEvent> {
    if (!this.paged) return { [Symbol.asyncIterator]: () => this.counted(source) };
    const paged: PagedEvents = { [Symbol.asyncIterator]: () => this.counted(source), [EVENT_PAGES]: () => this.countedPages(source) };
    return paged;
  }

  override readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.counting(this.inner.readAll(options));
  }

  override subscribe(options?: SubscribeOptions): Subscription {
    const subscription = this.inner.subscribe(options);
    return Object.assign(this.counting(subscription), { close: () => subscription.close() });
  }
}

/** Reads `count` events from the subscription, `chunk` at a time with a turn of the event loop between (as a runner's batches do). */
async function take(subscription: Subscription, count: number, chunk: number): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  while (seen.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    if (seen.length % chunk === 0) await nextTurn();
  }
  void iterator.return?.();
  return seen;
}

/**
 * Reads `count` events from the subscription a page at a time (EVENT_PAGES, as a runner's batches do), a turn of the
 * event loop after each; `pauseAfterFirst`: that many more turns after the first page (left behind by the others).
 */
async function takePages(subscription: Subscription, count: number, pauseAfterFirst = 0): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const pages = eventPages(subscription);
  while (seen.length < count) {
    const next = await pages.next();
    if (next.done) break;
    seen.push(...next.value);
    for (let turn = seen.length === next.value.length ? pauseAfterFirst : 0; turn >= 0; turn -= 1) await nextTurn();
  }
  void pages.return?.();
  return seen;
}

describe.each([
  { paged: true, name: 'real SQLite store, read a page at a time' },
  { paged: false, name: 'real SQLite store, read one event at a time' },
])('shared log: one read of the log for several subscribers ($name)', ({ paged }) => {
  let dataDir: string;
  let sqlite: SqliteEventStore;
  let store: CountingStore;
  let positions: string[];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-shared-log-'));
    sqlite = SqliteEventStore.open({ dataDir, durability: 'normal' });
    store = new CountingStore(sqlite, paged);
    positions = [];
  });

  afterEach(async () => {
    await sqlite.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function appendNotes(count: number, first = positions.length): Promise<void> {
    const appends: Promise<AppendResult>[] = [];
    for (let n = first; n < first + count; n += 1) {
      appends.push(store.append(`note-${n % 37}`, [{ eventId: crypto.randomUUID(), type: 'Noted', data: { text: `note ${n}`, n }, metadata: {} }], 'any'));
    }
    for (const result of await Promise.all(appends)) positions.push(result.position);
  }

  const positionsOf = (events: readonly RecordedEvent[]) => events.map((event) => event.position);
  const after = (position: string | undefined) => (position === undefined ? positions : positions.slice(positions.indexOf(position) + 1));

  it('subscribers in step each get every event once, in log order, and the store is read once per event', async () => {
    await appendNotes(3000);
    const log = new SharedLog(store);
    const subscriptions = [0, 1, 2, 3].map(() => log.subscribe());
    const seen = await Promise.all(subscriptions.map((subscription, i) => take(subscription, 3000, 100 + 50 * i)));
    for (const events of seen) expect(positionsOf(events)).toEqual(positions);
    expect(store.read).toBe(3000);
    await log.close();
  });

  it('a subscriber left behind by more than the window, one restarted from an older position and one ahead of the others all read the log exactly', async () => {
    await appendNotes(1200);
    const log = new SharedLog(store, { maxEvents: 100 });
    const fast = take(log.subscribe(), 1200, 400);
    // Slow: one event per turn of the event loop, left far behind the window of 100.
    const slow = take(log.subscribe(), 1200, 1);
    const restarted = take(log.subscribe({ fromPosition: positions[99] }), 1100, 50);
    const ahead = take(log.subscribe({ fromPosition: positions[899] }), 300, 10);
    const [fastSeen, slowSeen, restartedSeen, aheadSeen] = await Promise.all([fast, slow, restarted, ahead]);
    expect(positionsOf(fastSeen)).toEqual(positions);
    expect(positionsOf(slowSeen)).toEqual(positions);
    expect(positionsOf(restartedSeen)).toEqual(after(positions[99]));
    expect(positionsOf(aheadSeen)).toEqual(after(positions[899]));
    // The window keeps 100 events, or the last page the store handed out if it was larger (512 events at most).
    expect(log.windowSize).toBeLessThanOrEqual(paged ? 512 : 100);
    await log.close();
  });

  it('subscribers taking pages and subscribers taking events, in step, behind the window or restarted, all read the log exactly', async () => {
    await appendNotes(2500);
    const log = new SharedLog(store, { maxEvents: 300 });
    const [pagesInStep, eventsInStep, pagesSlow, pagesRestarted] = await Promise.all([
      takePages(log.subscribe(), 2500),
      take(log.subscribe(), 2500, 200),
      // One page, then left behind by more than the window while the others go on.
      takePages(log.subscribe(), 2500, 40),
      takePages(log.subscribe({ fromPosition: positions[1999] }), 500),
    ]);
    expect(positionsOf(pagesInStep)).toEqual(positions);
    expect(positionsOf(eventsInStep)).toEqual(positions);
    expect(positionsOf(pagesSlow)).toEqual(positions);
    expect(positionsOf(pagesRestarted)).toEqual(after(positions[1999]));
    // The slow one did fall behind the window, and read on its own until it caught up.
    expect(log.reads.own).toBeGreaterThan(0);
    expect(log.windowSize).toBeLessThanOrEqual(512);
    await log.close();
  });

  it('live: subscribers waiting at the head get events appended later, read once; closing one leaves the others following', async () => {
    await appendNotes(10);
    const log = new SharedLog(store);
    const subscriptions = [0, 1, 2].map(() => log.subscribe());
    const iterators = subscriptions.map((subscription) => subscription[Symbol.asyncIterator]());
    for (const iterator of iterators) for (let i = 0; i < 10; i += 1) await iterator.next();
    // Everyone waits at the head now; one of them closes while waiting.
    const waiting = iterators.map((iterator) => iterator.next());
    await subscriptions[2].close();
    expect(await waiting[2]).toEqual({ done: true, value: undefined });
    await appendNotes(5);
    sqlite.notifyCommitted();
    const first = await Promise.all([waiting[0], waiting[1]]);
    expect(first.map((next) => next.value?.position)).toEqual([positions[10], positions[10]]);
    for (const iterator of iterators.slice(0, 2)) {
      const rest: string[] = [];
      for (let i = 0; i < 4; i += 1) rest.push(((await iterator.next()).value as RecordedEvent).position);
      expect(rest).toEqual(positions.slice(11, 15));
    }
    expect(store.read).toBe(15);
    await log.close();
    // Closing the log ends the subscriptions still open.
    expect(await Promise.all(iterators.slice(0, 2).map((iterator) => iterator.next()))).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
  });

  it('readAll reads up to the head as it is when the iteration starts, shared by concurrent readers', async () => {
    await appendNotes(500);
    const log = new SharedLog(store);
    const read = async (from?: string) => {
      const events: RecordedEvent[] = [];
      for await (const event of log.readAll(from === undefined ? {} : { fromPosition: from })) {
        events.push(event);
        if (events.length % 100 === 0) await nextTurn();
      }
      return events;
    };
    const [all, again, none] = await Promise.all([read(), read(), read(positions[499])]);
    expect(positionsOf(all)).toEqual(positions);
    expect(positionsOf(again)).toEqual(positions);
    expect(none).toEqual([]);
    expect(store.read).toBe(500);
    // The window still holds them: a later reader from the middle reads nothing from the store.
    expect(positionsOf(await read(positions[249]))).toEqual(after(positions[249]));
    expect(store.read).toBe(500);
    await log.close();
  });

  describe('projection runners on one shared log', () => {
    type NoteDoc = { readonly id: string; readonly position: string; readonly texts: number; readonly last: string };
    const notesView = (name: string): FoldedView<NoteDoc> => ({
      kind: 'folded',
      name,
      indexes: [],
      documentIds: (event) => [event.streamId],
      apply: (doc, event, id) => ({ id, position: event.position, texts: (doc?.texts ?? 0) + 1, last: (event.data as { text: string }).text }),
    });
    const groups: ProjectionGroup[] = ['a', 'b', 'c'].map((name) => ({ name, version: 1, views: [notesView(`notes_${name}`)] }));
    let views: SqliteReadStore;

    beforeEach(async () => {
      views = SqliteReadStore.open({ dataDir });
      for (const group of groups) await views.ensureView({ name: group.views[0].name, indexes: [] });
      await views.ensureView(DEAD_LETTERS);
    });

    afterEach(async () => {
      await views.close();
    });

    const expectNotes = async (view: string, events: number) => {
      const docs: NoteDoc[] = [];
      for await (const doc of views.scan<NoteDoc>(view)) docs.push(doc);
      expect(docs.reduce((sum, doc) => sum + doc.texts, 0)).toBe(events);
      expect(docs).toHaveLength(37);
      expect(docs.find((doc) => doc.id === `note-${(events - 1) % 37}`)?.last).toBe(`note ${events - 1}`);
    };

    it('following runners of three groups apply every event, before and after they start, reading the store once per event', async () => {
      await appendNotes(2500);
      const log = new SharedLog(store);
      const runners = groups.map((group) => new ProjectionRunner(group, log, views, { maxBatch: 200, maxDelayMs: 5 }));
      for (const runner of runners) runner.start();
      try {
        await appendNotes(500);
        sqlite.notifyCommitted();
        const head = positions[positions.length - 1];
        for (const [i, runner] of runners.entries()) expect(await runner.waitFor(groups[i].views[0].name, head, 20_000)).toBe(true);
        for (const group of groups) await expectNotes(group.views[0].name, 3000);
        expect(store.read).toBe(3000);
      } finally {
        await Promise.all(runners.map((runner) => runner.stop()));
        await log.close();
      }
    });

    it('runners catching up from different checkpoints (one group already further) end with the same views as alone', async () => {
      await appendNotes(1000);
      const live = async (group: ProjectionGroup) => {
        const view = group.views[0].name;
        return new Map<string, GenerationRef>([[view, { view, generation: await views.liveGeneration(view) }]]);
      };
      // Group c is ahead: it alone has projected the first 600 events.
      await new ProjectionRunner(groups[2], sqlite, views).catchUp(await live(groups[2]), undefined, positions[599]);
      await appendNotes(500);
      const log = new SharedLog(store, { maxEvents: 300 });
      const results = await Promise.all(groups.map(async (group) => new ProjectionRunner(group, log, views, { maxBatch: 100 }).catchUp(await live(group))));
      expect(results.map((result) => result.events)).toEqual([1500, 1500, 900]);
      for (const group of groups) await expectNotes(group.views[0].name, 1500);
      await log.close();
    });
  });
});
