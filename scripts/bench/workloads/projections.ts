import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { PROJECTION_GROUPS } from '../../../projections/index.js';
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { ProjectionRunner } from '../../../src/platform/projection-runner/projection-runner.js';
import { rebuildGroup } from '../../../src/platform/projection-runner/rebuild.js';
import { ensureViews } from '../../../src/platform/projection-runner/view-catalog.js';
import { type GenerationRef } from '../../../src/platform/read-store/read-store.port.js';
import { runInChild } from '../harness/child-process.js';
import { type BenchCase, type Measure, type Workload } from '../harness/workload.js';
import { type LogShape, PROJECTIONS_LOG_SHAPE, writeOrderLog } from './order-log.js';

// JXC_BENCH_PROJECTION_EVENTS: a smaller log when five runs of 1M (about 30 min per measure on 2 cores) do not fit.
const FULL_EVENTS = Number(process.env.JXC_BENCH_PROJECTION_EVENTS ?? 1_000_000);
const QUICK_EVENTS = 5_000;
// Part of the cache key: raise it when the generator writes a different log.
const LOG_VERSION = 1;
// A smoke run's log is mostly orders too: fewer products and customers.
const QUICK_SHAPE: LogShape = { ...PROJECTIONS_LOG_SHAPE, skus: 200, customers: 500, suppliers: 20, window: 100 };
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
 * all at once on one thread, each from position 0 to the head of the log. In a child process
 * (runInChild calls it by name, hence @public for knip).
 * @public
 */
export async function catchUpInChild({ logDir, viewsDir }: ProjectionRunArgs): Promise<ProjectionRunResult> {
  rmSync(viewsDir, { recursive: true, force: true });
  const events = SqliteEventStore.open({ dataDir: logDir, durability: 'normal' });
  const views = SqliteReadStore.open({ dataDir: viewsDir });
  try {
    await ensureViews(views);
    const started = performance.now();
    const runs = PROJECTION_GROUPS.map(async (group) => {
      const targets = new Map<string, GenerationRef>();
      for (const view of group.views) targets.set(view.name, { view: view.name, generation: await views.liveGeneration(view.name) });
      return new ProjectionRunner(group, events, views).catchUp(targets);
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
  const events = SqliteEventStore.open({ dataDir: logDir, durability: 'normal' });
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

const here = new URL(import.meta.url);

export const projectionsWorkload: Workload = {
  name: 'projections',
  title: 'projections: every view of every group (orders, cancellation stats, stock levels and alerts, audit trail, master data) into SQLite, from position 0',
  limits:
    'From CPU profiles of the 1M-event log: about half the time is SQLite writing view rows (each audit entry goes into a table with ' +
    'six indexes, two of them on random keys: stream and order; every order, stock and bucket document is rewritten whole) and committing ' +
    'the batches; a quarter is reading and JSON-parsing the log, once per group (four groups, four reads of every event, on one thread); ' +
    'then garbage collection, write validation and the projections themselves. Peak RSS is two SQLite page caches of 64 MB, ' +
    'the runners\' document caches (20,000 per view) and the batches in flight. Reaching the targets needs structural changes: ' +
    'one read of the log shared by every group, fewer or stored (not JSON-extracted) index columns on audit_trail, smaller caches.',
  async prepare(options) {
    const target = options.quick ? QUICK_EVENTS : FULL_EVENTS;
    const { dir: logDir, info, generated } = await ensureOrderLog(options.scratchDir, target, (line) => console.log(`  ${line}`));
    const viewsDir = join(options.scratchDir, 'projections-views');
    const args: ProjectionRunArgs = { logDir, viewsDir };
    const size = info.events >= 1e6 ? `${(info.events / 1e6).toFixed(0)}M` : `${Math.round(info.events / 1e3)}k`;
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
      { name: 'catch-up', title: `catch-up of ${size} events into every view, from 0`, unit: 'events/s', durability: 'n/a', higherIsBetter: true, subject: catchUp, metric: 'eventsPerSecond', targets: [{ op: '>=', value: 100_000, on: 'figure' }] },
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
    ];
    return {
      cases,
      notes: () => [
        `log: ${info.events.toLocaleString('en-US')} events of ${info.orders.toLocaleString('en-US')} orders (sales paid, processed, shipped, delivered or cancelled; purchases with deposits, receipts or cancellations; ` +
          `${shapeFor(info.events).skus.toLocaleString('en-US')} products, ${shapeFor(info.events).customers.toLocaleString('en-US')} customers), written through the deciders and processes with metadata and hash chain, ${(info.bytes / 1e6).toFixed(0)} MB; ` +
          `${generated ? `generated in ${info.seconds.toFixed(0)} s this run` : 'reused from .bench/'} (not timed)`,
        ...(FULL_EVENTS !== 1_000_000 && !options.quick ? [`log size set by JXC_BENCH_PROJECTION_EVENTS=${FULL_EVENTS} (default 1,000,000)`] : []),
        'each run in a fresh Node process (peak RSS = its maxRSS); catch-up starts from an empty views file; rebuild writes fresh generations beside the live views the last catch-up left and promotes them',
      ],
      async close() {
        rmSync(viewsDir, { recursive: true, force: true });
      },
    };
  },
};
