import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECTION_GROUPS } from '../../../projections/index.js';
import { LOG_READER_PAGE_CACHE_KIB, SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { ProjectionRunner } from '../../../src/platform/projection-runner/projection-runner.js';
import { rebuildGroup } from '../../../src/platform/projection-runner/rebuild.js';
import { SharedLog } from '../../../src/platform/projection-runner/shared-log.js';
import { ensureViews } from '../../../src/platform/projection-runner/view-catalog.js';
import { type GenerationRef } from '../../../src/platform/read-store/read-store.port.js';
import { runInChild } from '../harness/child-process.js';
import { type BenchCase, type Measure, type Workload } from '../harness/workload.js';
import { type LogShape, PROJECTIONS_LOG_SHAPE, writeOrderLog } from './order-log.js';
import { newOrderId, sampleEvent } from './sample-event.js';

// JXC_BENCH_PROJECTION_EVENTS: a smaller log when five runs of 1M (about 30 min per measure on 2 cores) do not fit.
const FULL_EVENTS = Number(process.env.JXC_BENCH_PROJECTION_EVENTS ?? 1_000_000);
const QUICK_EVENTS = 5_000;
// Part of the cache key: raise it when the generator writes a different log.
const LOG_VERSION = 2;
// A smoke run's log is mostly orders too: fewer products and customers.
const QUICK_SHAPE: LogShape = { ...PROJECTIONS_LOG_SHAPE, skus: 200, customers: 500, suppliers: 20, window: 100 };
// The raw baseline's transactions: one per batch of this many rows.
const RAW_BATCH = 2_000;
// "Peak RSS at 1M ≤ 1.2× at 100k": the baseline rebuild runs on a log a tenth the size, in the same run.
const SMALL_LOG_DIVISOR = 10;
const shapeFor = (events: number): LogShape => (events >= 100_000 ? PROJECTIONS_LOG_SHAPE : QUICK_SHAPE);

interface LogInfo {
  readonly events: number;
  readonly orders: number;
  readonly seconds: number;
  readonly bytes: number;
}

/**
 * The log, generated once and kept under `.bench/` (keyed by size and generator version): writing a
 * million events through the deciders and the hash chain takes a minute or two, and is not measured.
 * `log.json` is written last, so an interrupted generation is started again.
 */
async function ensureOrderLog(scratchDir: string, events: number, log: (line: string) => void = () => undefined): Promise<{ dir: string; info: LogInfo; generated: boolean }> {
  const dir = join(scratchDir, `projections-log-v${LOG_VERSION}-${events}`);
  const infoFile = join(dir, 'log.json');
  if (existsSync(infoFile)) return { dir, info: JSON.parse(readFileSync(infoFile, 'utf8')) as LogInfo, generated: false };
  rmSync(dir, { recursive: true, force: true });
  log(`generating a log of ${events.toLocaleString('en-US')} events into ${dir} (once; reused by later runs)`);
  const started = performance.now();
  // Nothing about writing it is timed: `normal` durability.
  const store = SqliteEventStore.open({ dataDir: dir, durability: 'normal' });
  const written = await writeOrderLog(store, events, shapeFor(events));
  await store.close();
  const info: LogInfo = { ...written, seconds: (performance.now() - started) / 1000, bytes: statSync(join(dir, 'events.sqlite')).size };
  writeFileSync(infoFile, `${JSON.stringify(info)}\n`);
  return { dir, info, generated: true };
}

export interface ProjectionRunArgs {
  readonly logDir: string;
  readonly viewsDir: string;
}

export interface ProjectionRunResult {
  readonly seconds: number;
  readonly events: number;
}

/**
 * What the service does when it starts on an empty views file: one runner per projection group,
 * all at once on one thread, each from position 0 to the head of the log, all through one shared read. In a child process
 * (runInChild calls it by name, hence @public for knip).
 * @public
 */
export async function catchUpInChild({ logDir, viewsDir }: ProjectionRunArgs): Promise<ProjectionRunResult> {
  rmSync(viewsDir, { recursive: true, force: true });
  const events = SqliteEventStore.open({ dataDir: logDir, durability: 'normal', pageCacheKib: LOG_READER_PAGE_CACHE_KIB });
  const views = SqliteReadStore.open({ dataDir: viewsDir });
  try {
    await ensureViews(views);
    const started = performance.now();
    // As in the projection worker: every group reads the log through one shared read (shared-log.ts).
    const log = new SharedLog(events);
    const runs = PROJECTION_GROUPS.map(async (group) => {
      const targets = new Map<string, GenerationRef>();
      for (const view of group.views) targets.set(view.name, { view: view.name, generation: await views.liveGeneration(view.name) });
      return new ProjectionRunner(group, log, views).catchUp(targets);
    });
    const results = await Promise.all(runs);
    return { seconds: (performance.now() - started) / 1000, events: Math.max(...results.map((r) => r.events)) };
  } finally {
    await views.close();
    await events.close();
  }
}

/**
 * What `jxc projections rebuild` does: every group in turn, into fresh generations, promoted when caught up.
 * In a child process (runInChild calls it by name).
 * @public
 */
export async function rebuildInChild({ logDir, viewsDir }: ProjectionRunArgs): Promise<ProjectionRunResult> {
  const events = SqliteEventStore.open({ dataDir: logDir, durability: 'normal', pageCacheKib: LOG_READER_PAGE_CACHE_KIB });
  const views = SqliteReadStore.open({ dataDir: viewsDir });
  try {
    await ensureViews(views);
    const started = performance.now();
    let replayed = 0;
    for (const group of PROJECTION_GROUPS) replayed = Math.max(replayed, (await rebuildGroup(events, views, group)).events);
    return { seconds: (performance.now() - started) / 1000, events: replayed };
  } finally {
    await views.close();
    await events.close();
  }
}

export interface RawInsertArgs {
  readonly dir: string;
  readonly rows: number;
}

/**
 * The catch-up baseline: raw better-sqlite3 inserting as many rows as the log holds events, one transaction
 * per RAW_BATCH rows, with the read store's settings (WAL, synchronous NORMAL, 64 MB cache). A row is the
 * appends workload's sample event (an order placement, ~600 bytes of JSON) under an integer key; building
 * and serialising each batch is timed with it. In a child process (runInChild calls it by name).
 * @public
 */
export function rawBatchedInsertInChild({ dir, rows }: RawInsertArgs): ProjectionRunResult {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.exec('CREATE TABLE rows (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, type TEXT NOT NULL, doc TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (position, stream_id, type, doc) VALUES (?, ?, ?, ?)');
    const insertBatch = db.transaction((batch: readonly (readonly [number, string, string, string])[]) => {
      for (const row of batch) insert.run(...row);
    });
    const started = performance.now();
    for (let position = 0; position < rows; ) {
      const batch: [number, string, string, string][] = [];
      for (const end = Math.min(rows, position + RAW_BATCH); position < end; position++) {
        const orderId = newOrderId();
        const event = sampleEvent(orderId);
        batch.push([position, `order-${orderId}`, event.type, JSON.stringify(event)]);
      }
      insertBatch(batch);
    }
    const seconds = (performance.now() - started) / 1000;
    const count = (db.prepare('SELECT count(*) AS n FROM rows').get() as { n: number }).n;
    return { seconds, events: count };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const here = new URL(import.meta.url);

export const projectionsWorkload: Workload = {
  name: 'projections',
  title: 'projections: every view of every group (orders, cancellation stats, stock levels and alerts, audit trail, master data) into SQLite, from position 0',
  limits:
    'Every group reads the log through one shared read (SharedLog, since 2026-12-02: each event read and decoded once, fanned out to ' +
    'the four groups; catch-up 1.31× faster than four reads in the same loaded run), a page at a time since 2026-12-03 (one turn of the ' +
    'event loop per page of up to 1,024 events, not per event: a 100k-event catch-up 10.6 s against 12.7 s, means of 4 alternating runs). ' +
    'A catch-up writes batches of up to 8,000 events since 2026-12-04 (2,000 before; a rebuild still 2,000, for its peak RSS): more of ' +
    'an order\'s events fold into one write of its document (1M events 73 s against 97 s, same peak RSS, one run each). ' +
    'Timing every view write of a 100k-event catch-up (2026-12-03): writes take about half of it (audit trail 100,000 rows, orders 26,000 ' +
    'upserts into a table with ten indexes, journal 26,000), the projections, validation and GC the rest; reading the log alone takes 0.4 s. ' +
    'From CPU profiles of the catch-up since: about 40% ' +
    'is SQLite writing view rows and keeping their indexes (each audit entry goes into a table with six indexes: its id and the five ' +
    'the audit filters sort by; every order, stock and bucket document is rewritten whole), GC about 14%, then reading and decoding the ' +
    'log, write validation and the projections themselves. Stored index columns instead of JSON-extracted ones were measured and gained ' +
    'nothing (about 42–44k rows/s either way). Peak RSS is the read store\'s SQLite page cache of 64 MB and the log reader\'s of 8 MB (64 MB until ' +
    '2026-12-02: a 100k-event rebuild peaked at 329 MB then, 261 MB since, in one session), the runners\' document caches (bounded by bytes since ' +
    '2026-12-03: 32 MB of JSON per view in a catch-up, 3 MB in a rebuild; 20,000 and 2,000 documents before, and a 1M-event catch-up ' +
    'peaked at 899 and 888 MB then, 811 and 809 MB since, at the same speed, alternating runs) and the batches in flight.',
  async prepare(options) {
    const target = options.quick ? QUICK_EVENTS : FULL_EVENTS;
    const { dir: logDir, info, generated } = await ensureOrderLog(options.scratchDir, target, (line) => console.log(`  ${line}`));
    const smallTarget = Math.round(target / SMALL_LOG_DIVISOR);
    const small = await ensureOrderLog(options.scratchDir, smallTarget, (line) => console.log(`  ${line}`));
    const viewsDir = join(options.scratchDir, 'projections-views');
    const smallViewsDir = join(options.scratchDir, 'projections-views-small');
    const rawDir = join(options.scratchDir, 'projections-raw');
    const args: ProjectionRunArgs = { logDir, viewsDir };
    const smallArgs: ProjectionRunArgs = { logDir: small.dir, viewsDir: smallViewsDir };
    const sizeOf = (events: number) => (events >= 1e6 ? `${(events / 1e6).toFixed(0)}M` : events >= 1e3 ? `${Math.round(events / 1e3)}k` : String(events));
    const size = sizeOf(info.events);
    const smallSize = sizeOf(small.info.events);
    // Like the big log's rebuilds, which find the live views its catch-ups left: one untimed catch-up first.
    await runInChild<ProjectionRunResult>(here, 'catchUpInChild', smallArgs);
    const rawInsert: Measure = {
      key: 'raw-batched-insert',
      label: `raw better-sqlite3 batched insert of ${info.events.toLocaleString('en-US')} rows (${RAW_BATCH.toLocaleString('en-US')} a transaction)`,
      run: async () => {
        const { result } = await runInChild<ProjectionRunResult>(here, 'rawBatchedInsertInChild', { dir: rawDir, rows: info.events } satisfies RawInsertArgs);
        if (result.events !== info.events) throw new Error(`inserted ${result.events} rows, expected ${info.events}`);
        return result.events / result.seconds;
      },
    };
    const smallRebuild: Measure = {
      key: 'rebuild-small',
      label: `rebuild of ${smallSize} events, peak RSS`,
      run: async () => {
        const { result, peakRssMb } = await runInChild<ProjectionRunResult>(here, 'rebuildInChild', smallArgs);
        if (result.events !== small.info.events) throw new Error(`rebuilt from ${result.events} events, the log holds ${small.info.events}`);
        return { seconds: result.seconds, peakRssMb };
      },
    };
    const catchUp: Measure = {
      key: 'catch-up',
      label: `catch-up of ${size} events, all groups at once`,
      run: async () => {
        const { result, peakRssMb } = await runInChild<ProjectionRunResult>(here, 'catchUpInChild', args);
        if (result.events !== info.events) throw new Error(`caught up ${result.events} events, the log holds ${info.events}`);
        return { eventsPerSecond: result.events / result.seconds, seconds: result.seconds, peakRssMb };
      },
    };
    const rebuild: Measure = {
      key: 'rebuild',
      label: `rebuild of ${size} events, group by group`,
      run: async () => {
        const { result, peakRssMb } = await runInChild<ProjectionRunResult>(here, 'rebuildInChild', args);
        if (result.events !== info.events) throw new Error(`rebuilt from ${result.events} events, the log holds ${info.events}`);
        return { seconds: result.seconds, eventsPerSecond: result.events / result.seconds, peakRssMb };
      },
    };
    const cases: BenchCase[] = [
      {
        name: 'catch-up',
        title: `catch-up of ${size} events into every view, from 0`,
        unit: 'events/s',
        durability: 'n/a',
        higherIsBetter: true,
        subject: catchUp,
        metric: 'eventsPerSecond',
        baseline: rawInsert,
        baselineUnit: 'rows/s',
        targets: [{ op: '>=', value: 0.5, on: 'ratio' }, { op: '>=', value: 100_000, on: 'figure' }],
      },
      { name: 'catch-up-rss', title: `catch-up of ${size} events, peak RSS`, unit: 'MB', durability: 'n/a', higherIsBetter: false, subject: catchUp, metric: 'peakRssMb' },
      {
        name: 'rebuild',
        title: `rebuild of ${size} events (every group, as jxc projections rebuild)`,
        unit: 's',
        durability: 'n/a',
        higherIsBetter: false,
        subject: rebuild,
        metric: 'seconds',
        targets: options.quick ? undefined : [{ op: '<=', value: 20, on: 'figure' }],
      },
      { name: 'rebuild-rss', title: `rebuild of ${size} events, peak RSS of the process`, unit: 'MB', durability: 'n/a', higherIsBetter: false, subject: rebuild, metric: 'peakRssMb', targets: [{ op: '<=', value: 300, on: 'figure' }] },
      {
        name: 'rebuild-rss-growth',
        title: `rebuild peak RSS at ${size} events vs at ${smallSize}`,
        unit: 'MB',
        durability: 'n/a',
        higherIsBetter: false,
        subject: rebuild,
        metric: 'peakRssMb',
        baseline: smallRebuild,
        baselineMetric: 'peakRssMb',
        targets: [{ op: '<=', value: 1.2, on: 'ratio' }],
      },
    ];
    return {
      cases,
      notes: () => [
        `log: ${info.events.toLocaleString('en-US')} events of ${info.orders.toLocaleString('en-US')} orders (sales paid, processed, shipped, delivered or cancelled; purchases with deposits, receipts or cancellations; ` +
          `${shapeFor(info.events).skus.toLocaleString('en-US')} products, ${shapeFor(info.events).customers.toLocaleString('en-US')} customers), written through the deciders and processes with metadata and hash chain, ${(info.bytes / 1e6).toFixed(0)} MB; ` +
          `${generated ? `generated in ${info.seconds.toFixed(0)} s this run` : 'reused from .bench/'} (not timed)`,
        `baselines in this run: raw better-sqlite3 inserting ${info.events.toLocaleString('en-US')} rows (the appends workload's ~600-byte sample event as JSON, integer key, no secondary index) ` +
          `in transactions of ${RAW_BATCH.toLocaleString('en-US')}, WAL and synchronous NORMAL as the read store, in a fresh child process; ` +
          `and a rebuild of a ${small.info.events.toLocaleString('en-US')}-event log of the same generator (${small.generated ? 'generated' : 'reused'}, caught up once untimed) for peak RSS growth`,
        ...(FULL_EVENTS !== 1_000_000 && !options.quick ? [`log size set by JXC_BENCH_PROJECTION_EVENTS=${FULL_EVENTS} (default 1,000,000)`] : []),
        'each run in a fresh Node process (peak RSS = its maxRSS); catch-up starts from an empty views file; rebuild writes fresh generations beside the live views the last catch-up left and promotes them',
      ],
      async close() {
        rmSync(viewsDir, { recursive: true, force: true });
        rmSync(smallViewsDir, { recursive: true, force: true });
        rmSync(rawDir, { recursive: true, force: true });
      },
    };
  },
};
