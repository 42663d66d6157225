import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';

import { type FoldedView, type MappedView, type ProjectionGroup } from '../../../projections/index.js';
import { dropDatabase } from '../../../test/support/mongodb.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { PromotionConflict } from '../read-store/errors.js';
import { MongoReadStore } from '../read-store/mongodb/mongodb-read-store.js';
import { generationCheckpointName, type ReadStore } from '../read-store/read-store.port.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { type GroupRebuild, ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner.js';
import { verifyGroup } from './projection-verification.js';
import { rebuildGroup } from './rebuild.js';
import { DEAD_LETTERS } from './view-catalog.js';

// A group whose documents changed shape between version 1 and 2, as the orders view did with orders in
// parts: version 2 folds the next event onto the stored document's `total`, which version 1 documents
// lack, so without a rebuild they end up with NaN (stored as null).
type TallyV1 = { readonly id: string; readonly position: string; readonly sum: number };
type TallyV2 = { readonly id: string; readonly position: string; readonly total: number; readonly count: number };

const amountOf = (data: unknown) => (data as { amount: number }).amount;

const talliesV1: FoldedView<TallyV1> = {
  kind: 'folded',
  name: 'tallies',
  indexes: [],
  documentIds: (event) => [event.streamId],
  apply: (doc, event, id) => ({ id, position: event.position, sum: (doc?.sum ?? 0) + amountOf(event.data) }),
};
const talliesV2: FoldedView<TallyV2> = {
  kind: 'folded',
  name: 'tallies',
  indexes: [],
  documentIds: (event) => [event.streamId],
  apply: (doc, event, id) => ({ id, position: event.position, total: (doc === null ? 0 : doc.total) + amountOf(event.data), count: (doc?.count ?? 0) + 1 }),
};
/** Computed from the folded view: rebuilt with it. */
const bigTallies: MappedView<TallyV1 & TallyV2> = {
  kind: 'mapped',
  name: 'big_tallies',
  indexes: [],
  source: 'tallies',
  map: (source) => ((source.total ?? source.sum) > 100 ? { id: source.id, position: source.position, big: true } : null),
};

const groupAt = (version: 1 | 2): ProjectionGroup => ({ name: 'tallies', version, views: [version === 1 ? talliesV1 : talliesV2, bigTallies] });
const VIEWS = ['tallies', 'big_tallies'];

/** Where the views are: SQLite beside the events, and MongoDB (FerretDB in CI) when MONGODB_URL is set. */
interface Backend {
  readonly name: string;
  open(dataDir: string, test: number): Promise<ReadStore>;
  /** Makes the stored checkpoints look written by the code before versions were recorded; returns the store to use. */
  forgetVersions(store: ReadStore, reopen: () => Promise<ReadStore>, dataDir: string): Promise<ReadStore>;
  destroy(test: number): Promise<void>;
}
const mongodbUrl = process.env.MONGODB_URL;
const run = `jxc_group_version_${crypto.randomUUID().slice(0, 8)}`;
const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    open: async (dataDir) => SqliteReadStore.open({ dataDir }),
    async forgetVersions(store, reopen, dataDir) {
      // The previous code's views.sqlite has no version column; opening it adds the column, empty.
      await store.close();
      const file = new Database(join(dataDir, 'views.sqlite'));
      file.exec('ALTER TABLE _checkpoints DROP COLUMN version');
      file.close();
      return reopen();
    },
    destroy: async () => undefined,
  },
  ...(mongodbUrl === undefined
    ? []
    : [
        {
          name: 'MongoDB',
          open: (_dataDir: string, test: number) => MongoReadStore.connect({ url: mongodbUrl, databaseName: `${run}_${test}` }),
          async forgetVersions(store: ReadStore) {
            await (store as MongoReadStore).db.collection('_checkpoints').updateMany({}, { $unset: { version: '' } });
            return store;
          },
          destroy: (test: number) => dropDatabase(mongodbUrl, `${run}_${test}`),
        },
      ]),
];
let tests = 0;

describe.each(BACKENDS)('projection runner: a group whose version changed is rebuilt at start-up (events in SQLite, views in $name)', (backend) => {
  let dataDir: string;
  let test: number;
  let events: SqliteEventStore;
  const stores: ReadStore[] = [];
  let views: ReadStore;
  const running: ProjectionRunner[] = [];

  const openViews = async (): Promise<ReadStore> => {
    const store = await backend.open(dataDir, test);
    for (const name of VIEWS) await store.ensureView({ name, indexes: [] });
    await store.ensureView(DEAD_LETTERS);
    stores.push(store);
    return store;
  };
  const rebuildOn =
    (store: ReadStore): GroupRebuild =>
    (group, options) =>
      rebuildGroup(events, store, group, options);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-group-version-'));
    test = ++tests;
    events = SqliteEventStore.open({ dataDir, durability: 'normal' });
    views = await openViews();
  });

  afterEach(async () => {
    for (const runner of running.splice(0)) await runner.stop();
    for (const store of stores.splice(0)) await store.close();
    await events.close();
    await backend.destroy(test);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const add = (account: number, amount: number) =>
    events.append(`acct-${account}`, [{ eventId: crypto.randomUUID(), type: 'Added', data: { amount }, metadata: {} }], 'any');

  /** Follows the log like the service does (the worker passes rebuildGroup) until `stop`. */
  const follow = (version: 1 | 2, options: ProjectionRunnerOptions = {}, store: ReadStore = views): ProjectionRunner => {
    const runner = new ProjectionRunner(groupAt(version), events, store, { maxDelayMs: 5, rebuild: rebuildOn(store), ...options });
    running.push(runner);
    runner.start();
    return runner;
  };
  const stopped = async (runner: ProjectionRunner) => {
    await runner.stop();
    running.splice(running.indexOf(runner), 1);
  };
  /** Following the log (a rebuild done) with every view at the head. */
  const caughtUp = async (runner: ProjectionRunner) => {
    const head = (await events.headPosition())!;
    const behind = () => {
      const status = runner.status();
      return status.status !== 'running' || status.views.some((view) => view.position === null || events.comparePositions(view.position, head) < 0);
    };
    for (const deadline = Date.now() + 20_000; behind(); await sleep(10)) {
      if (Date.now() > deadline) throw new Error(`not caught up with ${head}: ${JSON.stringify(runner.status())}`);
    }
  };
  const liveVersions = async (store: ReadStore = views) =>
    Promise.all(VIEWS.map(async (view) => (await store.getCheckpointRecord(generationCheckpointName({ view, generation: await store.liveGeneration(view) })))?.version));

  /** Three accounts folded by version 1, then the runner stopped: what the previous code left behind. */
  async function builtAtVersion1(): Promise<void> {
    for (const [account, amount] of [[1, 40], [2, 70], [1, 30], [3, 200], [2, 50]]) await add(account, amount);
    const runner = follow(1);
    await caughtUp(runner);
    await stopped(runner);
    expect(await views.get('tallies', 'acct-1')).toMatchObject({ sum: 70 });
  }

  it('at version 2 the documents built at version 1 are rebuilt from the start of the log into a fresh generation, equal to a fresh replay, then followed', async () => {
    await builtAtVersion1();
    const statuses: ReturnType<ProjectionRunner['status']>[] = [];
    const runner = follow(2, {
      rebuild: (group, options) =>
        rebuildGroup(events, views, group, { ...options, maxBatch: 2, onProgress: (progress) => (options.onProgress?.(progress), statuses.push(runner.status())) }),
    });
    await caughtUp(runner);
    await add(1, 5);
    await caughtUp(runner);

    expect(await views.get('tallies', 'acct-1')).toMatchObject({ total: 75, count: 3 });
    expect(await views.get('tallies', 'acct-3')).toMatchObject({ total: 200, count: 1 });
    expect(await views.get('big_tallies', 'acct-2')).toMatchObject({ big: true });
    expect(await liveVersions()).toEqual([2, 2]);
    for (const view of VIEWS) expect(await views.listGenerations(view)).toEqual(['2']);
    const replay = await verifyGroup(events, views, groupAt(2));
    expect(replay.differences).toBe(0);
    expect(replay.views.map((view) => view.documents)).toEqual([3, 2]);
    // While it rebuilt: not yet running, reads on generation 1 (its checkpoint), the rebuild's progress beside it.
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses[0]).toMatchObject({ status: 'starting', views: [{ view: 'tallies', generation: '1', rebuild: { generation: '2' } }, { view: 'big_tallies', generation: '1' }] });
    expect(runner.status()).toMatchObject({ status: 'running', views: [{ generation: '2' }, { generation: '2' }] });
    expect(runner.status().views[0].rebuild).toBeUndefined();
  });

  it('without the rebuild, version 2 folded onto a version 1 document makes NaN: the event is dead-lettered and the document stays behind', async () => {
    await builtAtVersion1();
    const runner = new ProjectionRunner(groupAt(2), events, views);
    const live = new Map(VIEWS.map((view) => [view, { view, generation: '1' }]));
    const next = await add(1, 5);

    await runner.catchUp(live);

    expect(await views.get(DEAD_LETTERS.name, `tallies@${next.position}`)).toMatchObject({ error: expect.stringContaining('NaN is not a JSON number') });
    expect(await views.get('tallies', 'acct-1')).toEqual({ id: 'acct-1', position: expect.any(String), sum: 70 });
  });

  it('at the same version nothing is rebuilt: the checkpoint is kept and only the events after it are applied', async () => {
    await builtAtVersion1();
    const upgraded = follow(2);
    await caughtUp(upgraded);
    await stopped(upgraded);
    const before = await views.getCheckpointRecord(generationCheckpointName({ view: 'tallies', generation: '2' }));
    await add(2, 1);
    let applied = 0;
    let rebuilds = 0;

    const runner = follow(2, { observer: { batchWritten: (_group, _views, count) => (applied += count) }, rebuild: async () => (rebuilds++, Promise.reject(new Error('no rebuild expected'))) });
    await caughtUp(runner);

    expect(before).toMatchObject({ version: 2, position: expect.any(String) });
    expect(applied).toBe(1);
    expect(rebuilds).toBe(0);
    expect(await views.liveGeneration('tallies')).toBe('2');
    expect(await views.get('tallies', 'acct-2')).toMatchObject({ total: 121, count: 3 });
  });

  it('a fresh read store is built at the current version in its first generation, with no rebuild', async () => {
    for (const [account, amount] of [[1, 10], [2, 150]]) await add(account, amount);

    const runner = follow(2, { rebuild: () => Promise.reject(new Error('no rebuild expected')) });
    await caughtUp(runner);

    expect(await views.liveGeneration('tallies')).toBe('1');
    expect(await liveVersions()).toEqual([2, 2]);
    expect(runner.status()).toMatchObject({ status: 'running', lastError: null });
  });

  it('checkpoints written before versions were recorded (by the previous code) count as version 1', async () => {
    await builtAtVersion1();
    views = await backend.forgetVersions(views, openViews, dataDir);
    expect(await views.getCheckpointRecord(generationCheckpointName({ view: 'tallies', generation: '1' }))).toEqual({
      name: 'tallies@1',
      position: expect.any(String),
    });

    const runner = follow(2);
    await caughtUp(runner);

    expect(await views.liveGeneration('tallies')).toBe('2');
    expect(await views.get('tallies', 'acct-1')).toMatchObject({ total: 70, count: 2 });
  });

  it('stopped while it rebuilds: the fresh generation is dropped and the previous one stays live; the next start rebuilds', async () => {
    await builtAtVersion1();
    let stopping: Promise<void> | undefined;
    let fresh: string | undefined;
    let progressed!: () => void;
    const rebuilding = new Promise<void>((resolve) => (progressed = resolve));
    const runner = follow(2, {
      rebuild: (group, options) =>
        rebuildGroup(events, views, group, {
          ...options,
          maxBatch: 1,
          onGenerations: (generations) => {
            options.onGenerations?.(generations);
            fresh = generations.get('tallies')?.generation;
          },
          onProgress: () => {
            stopping ??= runner.stop();
            progressed();
          },
        }),
    });
    await rebuilding;
    await stopping;
    await stopped(runner);

    expect(fresh).toBe('2');
    expect(await views.liveGeneration('tallies')).toBe('1');
    for (const view of VIEWS) expect(await views.listGenerations(view)).toEqual(['1']);
    expect(await views.get('tallies', 'acct-1')).toMatchObject({ sum: 70 });

    const again = follow(2);
    await caughtUp(again);
    expect(await views.get('tallies', 'acct-1')).toMatchObject({ total: 70 });
  });

  it('two processes starting on the same store at the new version end on one rebuilt generation that both follow', async () => {
    await builtAtVersion1();
    const other = await openViews();

    const [first, second] = [follow(2), follow(2, {}, other)];
    await caughtUp(first);
    await caughtUp(second);
    await add(3, 1);
    await caughtUp(first);
    await caughtUp(second);

    for (const view of VIEWS) expect(await views.listGenerations(view)).toEqual([await views.liveGeneration(view)]);
    expect(await views.liveGeneration('tallies')).not.toBe('1');
    expect(await views.get('tallies', 'acct-3')).toMatchObject({ total: 201, count: 2 });
    expect((await verifyGroup(events, views, groupAt(2))).differences).toBe(0);
    for (const runner of [first, second]) expect(runner.status()).toMatchObject({ status: 'running', lastError: null });
  });

  it('two rebuilds that reach their promotion together: the first to promote the first view promotes the whole group, the other is refused and drops its generations', async () => {
    await builtAtVersion1();
    const other = await openViews();
    // Both have replayed the whole log and passed their last check before either promotes.
    let arrived = 0;
    let bothThere!: () => void;
    const barrier = new Promise<void>((resolve) => (bothThere = resolve));
    const rebuilt: Map<string, string>[] = [];
    const rebuildTogether = (store: ReadStore, slot: number) =>
      rebuildGroup(events, store, groupAt(2), {
        onGenerations: (targets) => (rebuilt[slot] = new Map([...targets.values()].map(({ view, generation }) => [view, generation]))),
        beforePromote: async () => {
          if (++arrived === 2) bothThere();
          await barrier;
        },
      });

    const outcomes = await Promise.allSettled([rebuildTogether(views, 0), rebuildTogether(other, 1)]);

    const promoted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(promoted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(PromotionConflict);
    const winner = rebuilt[outcomes.indexOf(promoted[0])];
    for (const view of VIEWS) {
      expect(await views.liveGeneration(view)).toBe(winner.get(view));
      expect(await views.listGenerations(view)).toEqual([winner.get(view)]);
    }
    expect(await liveVersions()).toEqual([2, 2]);
    expect(await views.get('tallies', 'acct-3')).toMatchObject({ total: 200, count: 1 });
    expect((await verifyGroup(events, views, groupAt(2))).differences).toBe(0);
  });

  it('rebuilds promoted one after another while the runner follows a stream of appends: the live views end with every event', async () => {
    // Each rebuild must end although the log keeps growing (its catch-up used to read on for as long as appends came:
    // on MongoDB the first one never ended), and the runner must follow each promoted generation, learning of it from
    // a write refused with UnknownGeneration (on MongoDB a write racing the drop used to bring the old one back).
    await add(1, 1);
    const runner = follow(2);
    await caughtUp(runner);
    const expected = new Map<string, number>([['acct-1', 1]]);
    let appending = true;
    const appends = (async () => {
      for (let n = 0; appending; n++) {
        const account = `acct-${(n % 5) + 1}`;
        await events.append(account, [{ eventId: crypto.randomUUID(), type: 'Added', data: { amount: 1 }, metadata: {} }], 'any');
        expected.set(account, (expected.get(account) ?? 0) + 1);
        await sleep(1);
      }
    })();
    try {
      for (let round = 0; round < 5; round++) await rebuildGroup(events, views, groupAt(2));
    } finally {
      appending = false;
      await appends;
    }

    await caughtUp(runner);
    for (const [id, total] of expected) expect(await views.get('tallies', id)).toMatchObject({ total, count: total });
    for (const view of VIEWS) expect(await views.listGenerations(view)).toEqual([await views.liveGeneration(view)]);
    expect((await verifyGroup(events, views, groupAt(2))).differences).toBe(0);
  });

  it('a generation of another version promoted while following is not written to until one of its own version is live again', async () => {
    await add(1, 10);
    const runner = follow(2);
    await caughtUp(runner);

    // An older `jxc projections rebuild` promotes version 1 documents under the running service.
    await rebuildGroup(events, views, groupAt(1));
    const older = await add(1, 5);
    await add(2, 1);
    expect(await runner.waitFor('tallies', older.position, 1000)).toBe(false);

    expect(await views.get('tallies', 'acct-1')).toEqual({ id: 'acct-1', position: expect.any(String), sum: 10 });
    expect(await views.get('tallies', 'acct-2')).toBeUndefined();
    expect(runner.status()).toMatchObject({ status: 'retrying', lastError: expect.stringContaining('was built at version 1, this process projects version 2') });

    await rebuildGroup(events, views, groupAt(2));
    await caughtUp(runner);
    expect(runner.status()).toMatchObject({ status: 'running', lastError: null });
    expect(await views.get('tallies', 'acct-1')).toMatchObject({ total: 15, count: 2 });
  });
});
