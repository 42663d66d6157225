import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type EventToAppend } from '../../../src/platform/event-store/event-store.port.js';
import { type Durability } from '../../../src/platform/event-store/sqlite/schema.js';
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { runInChild } from '../harness/child-process.js';
import { closedLoop } from '../harness/closed-loop.js';
import { type BenchCase, type ChartSpec, type Measure, type RunOptions, type Workload } from '../harness/workload.js';
import { type EmmettAppendsArgs, type EmmettAppendsResult, type EmmettConfiguration, emmettAppends, ensureEmmettInstalled, installedVersions } from './peers/emmett.js';
import { newOrderId, sampleEvent } from './sample-event.js';

/** Raw better-sqlite3: one INSERT per transaction, WAL; under `full` that is one fsync per event. */
export function rawSqliteSingleInsert(seconds: number, durability: Durability = 'full', warmupSeconds = 0): number {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-raw-'));
  const db = new Database(join(dir, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL)');
    db.exec('CREATE UNIQUE INDEX events_by_stream ON events (stream_id, revision)');
    db.exec('CREATE UNIQUE INDEX events_by_event_id ON events (event_id)');
    const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, 0, ?, ?, ?, ?)');
    const appendOne = db.transaction((event: EventToAppend, streamId: string) => {
      insert.run(streamId, event.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
    });
    const loop = (window: number) => {
      const started = performance.now();
      const deadline = started + window * 1000;
      let count = 0;
      while (performance.now() < deadline) {
        const orderId = newOrderId();
        appendOne(sampleEvent(orderId), `order-${orderId}`);
        count++;
      }
      return count / ((performance.now() - started) / 1000);
    };
    if (warmupSeconds > 0) loop(warmupSeconds);
    return loop(seconds);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The jxc embedded adapter: `writers` concurrent callers, each appending one event to a new stream (expected: no stream), awaiting, repeating. */
export async function jxcAppends(durability: Durability, writers: number, seconds: number, warmupSeconds = 0): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-append-'));
  const store = SqliteEventStore.open({ dataDir: dir, durability });
  try {
    const append = () => {
      const orderId = newOrderId();
      return store.append(`order-${orderId}`, [sampleEvent(orderId)], 'no_stream');
    };
    if (warmupSeconds > 0) await closedLoop(writers, warmupSeconds, append);
    const measured = await closedLoop(writers, seconds, append);
    if (measured.failed > 0) throw new Error(`${measured.failed} jxc appends failed: ${measured.failures.join('; ')}`);
    return measured.rate;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface AppendRunArgs {
  readonly durability: Durability;
  readonly writers: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}

// Child-process entries (runInChild): every run of every side starts in a fresh process and a fresh file.
// They are called by name in the child, so they are tagged @public for knip.
/** @public */
export const rawAppendsInChild = async (args: AppendRunArgs): Promise<number> => rawSqliteSingleInsert(args.seconds, args.durability, args.warmupSeconds);
/** @public */
export const jxcAppendsInChild = (args: AppendRunArgs): Promise<number> => jxcAppends(args.durability, args.writers, args.seconds, args.warmupSeconds);
/** @public */
export const emmettAppendsInChild = (args: EmmettAppendsArgs): Promise<EmmettAppendsResult> => emmettAppends(args);

const here = new URL(import.meta.url);
const CONCURRENCY = [1, 4, 16, 64];
// A smoke run keeps the ends of the curve and skips the peer's secondary rows, to stay within its minute.
const QUICK_CONCURRENCY = [1, 64];
const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

function timing(options: RunOptions) {
  return { seconds: options.seconds, warmupSeconds: options.warmupSeconds };
}

const raw = (durability: Durability): Measure => ({
  key: `raw-${durability}`,
  label: `raw better-sqlite3, one INSERT per transaction${durability === 'full' ? ' (one fsync each)' : ''}`,
  run: async (options) => (await runInChild<number>(here, 'rawAppendsInChild', { durability, writers: 1, ...timing(options) })).result,
});

const jxc = (durability: Durability, writers: number): Measure => ({
  key: `jxc-${writers}-${durability}`,
  label: 'jxc embedded adapter',
  run: async (options) => (await runInChild<number>(here, 'jxcAppendsInChild', { durability, writers, ...timing(options) })).result,
});

interface PeerObservation {
  configuration: EmmettConfiguration;
  durability: Durability;
  writers: number;
  completed: number;
  failed: number;
  failures: Set<string>;
  acknowledgedBeforeCommit: number;
  commits: number;
  uncaught: number;
  /** The settings the peer's connection had after each run, with the number of runs that had them. */
  pragmaRuns: Map<string, number>;
  sqliteVersion?: string;
}

export const appendsWorkload: Workload = {
  name: 'appends',
  title: 'Appends: one event per append, one new stream per append (expected revision: no stream)',
  limits:
    'With `full`, a commit costs one fsync of the WAL; jxc group-commits, so at 64 appenders one fsync covers a whole batch and the ' +
    'figure is bounded by the single JavaScript thread that encodes, checks and inserts each event (JSON.stringify, the event-id ' +
    'and stream-head lookups, the INSERT into a table with two unique indexes), not by the disk. One appender cannot share its ' +
    'fsync: it waits for it, like the raw baseline, plus one turn of the event loop. Emmett runs every statement of an append ' +
    '(BEGIN, stream lookup, stream INSERT, message INSERT, COMMIT) as a separate call through the sqlite3 thread pool.',
  async prepare(options) {
    const notes: string[] = [];
    const observations = new Map<string, PeerObservation>();
    let installDir: string | undefined;
    const alreadyInstalled = existsSync(join(options.scratchDir, 'emmett', 'installed.json'));
    if (options.quick && !alreadyInstalled) {
      notes.push('Peer not measured: a quick run does not install Emmett (a first install compiles sqlite3 for minutes). Run `npm run bench:install-peer` or a full `npm run bench` once.');
    } else {
      try {
        installDir = ensureEmmettInstalled(options.scratchDir, (line) => console.log(`  ${line}`));
      } catch (error) {
        notes.push(`Peer not measured: ${error instanceof Error ? error.message : String(error)}`);
      }
    }

    const emmett = (configuration: EmmettConfiguration, durability: Durability, writers: number): Measure => {
      const key = `emmett-${configuration}-${writers}-${durability}`;
      return {
      key,
      label: configuration === 'shared-connection' ? 'Emmett SQLite, shared connection' : 'Emmett SQLite, connection per append (README setup)',
      async run(runOptions) {
        const args: EmmettAppendsArgs = { installDir: installDir!, configuration, durability: durability as 'full' | 'normal', writers, ...timing(runOptions) };
        const { result } = await runInChild<EmmettAppendsResult>(here, 'emmettAppendsInChild', args);
        const seen = observations.get(key) ?? { configuration, durability, writers, completed: 0, failed: 0, failures: new Set<string>(), acknowledgedBeforeCommit: 0, commits: 0, uncaught: 0, pragmaRuns: new Map<string, number>() };
        seen.completed += result.completed;
        seen.failed += result.failed;
        result.failures.forEach((f) => seen.failures.add(f));
        seen.acknowledgedBeforeCommit += result.acknowledgedBeforeCommit;
        seen.commits += result.commits;
        seen.uncaught += result.uncaughtExceptions;
        result.uncaughtMessages.forEach((m) => seen.failures.add(`uncaught: ${m}`));
        const { journalMode, synchronous } = result.pragmas;
        const pragmas = `journal_mode=${journalMode}, synchronous=${SYNCHRONOUS[synchronous] ?? synchronous}`;
        seen.pragmaRuns.set(pragmas, (seen.pragmaRuns.get(pragmas) ?? 0) + 1);
        seen.sqliteVersion = result.sqliteVersion;
        observations.set(key, seen);
        if (result.completed === 0) throw new Error(`no append succeeded; ${result.failed} failed: ${result.failures.join('; ')}`);
        return result.rate;
      },
      };
    };

    const cases: BenchCase[] = [];
    const row = (name: string, title: string, durability: Durability, subject: Measure, baseline: Measure, ratioTarget?: number, baselineDurability?: string) =>
      cases.push({
        name,
        title,
        unit: 'appends/s',
        durability,
        higherIsBetter: true,
        subject,
        baseline,
        baselineDurability,
        targets: ratioTarget === undefined ? undefined : [{ op: '>=', value: ratioTarget, on: 'ratio' }],
      });
    const appenders = (n: number) => `${n} ${n > 1 ? 'concurrent appenders' : 'appender'}`;
    // Emmett's shared connection commits only when no other append is inside the transaction (see the notes).
    const peerDurability = (writers: number, durability: Durability) => (writers === 1 ? undefined : `${durability} setting, acknowledged before commit`);
    for (const durability of ['full', 'normal'] as const) {
      row(`jxc-1-${durability}-vs-raw`, `${appenders(1)} vs raw SQLite`, durability, jxc(durability, 1), raw(durability));
      // Issue 2's goal: group commit makes 64 appenders at least 4× the one-fsync-per-insert figure.
      row(`jxc-64-${durability}-vs-raw`, `${appenders(64)} vs raw SQLite`, durability, jxc(durability, 64), raw(durability), durability === 'full' ? 4 : undefined);
    }
    const charts: ChartSpec[] = [];
    const concurrency = options.quick ? QUICK_CONCURRENCY : CONCURRENCY;
    if (installDir) {
      for (const writers of concurrency) {
        row(`jxc-${writers}-full-vs-emmett`, `${appenders(writers)} vs Emmett`, 'full', jxc('full', writers), emmett('shared-connection', 'full', writers), 10, peerDurability(writers, 'full'));
      }
      if (!options.quick) {
        row('jxc-1-full-vs-emmett-readme', '1 appender vs Emmett as its README sets it up', 'full', jxc('full', 1), emmett('connection-per-append', 'full', 1), 10);
      }
      // Above one appender Emmett acknowledges appends before committing them (see the notes): its best durable throughput is its 1-appender figure.
      cases.push({
        name: 'jxc-64-full-vs-emmett-durable',
        title: '64 concurrent appenders vs Emmett\'s best durable throughput (1 appender)',
        unit: 'appends/s',
        durability: 'full',
        higherIsBetter: true,
        subject: jxc('full', 64),
        baseline: emmett('shared-connection', 'full', 1),
        targets: [
          { op: '>=', value: 20_000, on: 'figure' },
          { op: '>=', value: 10, on: 'ratio' },
        ],
      });
      for (const writers of options.quick ? [] : [1, 64]) {
        row(`jxc-${writers}-normal-vs-emmett`, `${appenders(writers)} vs Emmett`, 'normal', jxc('normal', writers), emmett('shared-connection', 'normal', writers), 10, peerDurability(writers, 'normal'));
      }
      charts.push({
        file: 'benchmarks-appends.svg',
        title: 'Durable appends (synchronous = FULL) by concurrent callers',
        xLabel: 'concurrent appenders',
        yLabel: 'appends/s (median)',
        series: [
          { label: 'jxc embedded adapter', points: concurrency.map((x) => ({ x, measure: `jxc-${x}-full` })) },
          { label: 'Emmett 0.42 SQLite, shared connection (above 1: acknowledged before commit)', points: concurrency.map((x) => ({ x, measure: `emmett-shared-connection-${x}-full` })) },
        ],
      });
    }

    return {
      cases,
      charts,
      notes() {
        const lines = [...notes];
        if (installDir) {
          const versions = installedVersions(installDir);
          const sample = [...observations.values()][0];
          lines.push(
            `Peer: ${Object.entries(versions).map(([name, version]) => `${name}@${version}`).join(', ')} (SQLite ${sample?.sqliteVersion ?? '?'} inside sqlite3), ` +
              `installed by the harness into \`.bench/emmett/\` with \`npm install --legacy-peer-deps\`; run in its own child process per run.`,
            'Peer setup: `getSQLiteEventStore({ fileName, schema: { autoMigration: "None" }, connectionOptions: { singleton: true, connection: sqliteConnection({ fileName }) } })` ' +
              'after `schema.migrate()` (as in its own benchmark); one `appendToStream("order-<id>", [event], { expectedStreamVersion: STREAM_DOES_NOT_EXIST })` per call. ' +
              'It sets only `PRAGMA journal_mode = WAL`; `synchronous` stays at SQLite\'s default, FULL. For the `normal` rows the harness runs `PRAGMA synchronous = NORMAL` ' +
              'on the connection before handing it over. The README setup (`getSQLiteEventStore({ fileName })`) opens and closes a connection per append and fails ' +
              'concurrent appends with SQLITE_BUSY, so it is measured with one appender only.',
          );
          for (const seen of observations.values()) {
            // Each setting the runs had, with how many had it when they differ (the peer sets WAL itself, and has been seen without it).
            const settings = [...seen.pragmaRuns];
            const pragmas =
              settings.length === 0 ? 'pragmas not read' : settings.length === 1 ? settings[0][0] : settings.map(([text, runs]) => `${text} in ${runs} run${runs === 1 ? '' : 's'}`).join('; ');
            const early = seen.completed > 0 ? ((100 * seen.acknowledgedBeforeCommit) / seen.completed).toFixed(0) : '0';
            let line = `Emmett ${seen.configuration}, ${seen.writers} appender(s), ${seen.durability}: ${pragmas}; ${seen.completed.toLocaleString('en-US')} appends over all runs`;
            if (seen.configuration === 'shared-connection') {
              line += `, ${seen.commits.toLocaleString('en-US')} commits: ${early}% of appends were acknowledged before the COMMIT that made them durable`;
            }
            if (seen.failed > 0) line += `; ${seen.failed} failed`;
            if (seen.uncaught > 0) line += `; ${seen.uncaught} uncaught exceptions`;
            if (seen.failures.size > 0) line += ` (${[...seen.failures].join('; ')})`;
            lines.push(line);
          }
          lines.push(
            'Durability as measured: jxc under `full` resolves an append only after the group commit that wrote it has been fsynced. ' +
              'Emmett with a shared connection at one appender does the same (one COMMIT and fsync per append). With more appenders, an append that ' +
              'arrives while another is in flight joins the transaction already open on the connection, and only an append that leaves it last ' +
              'issues the COMMIT: the others resolve before their events are committed. Under a steady closed loop the transaction stays open for ' +
              'most of the run (the commit counts above), so Emmett\'s figures above one appender are for acknowledged-but-not-yet-durable appends: ' +
              'a crash loses them although `synchronous` is FULL. Only the 1-appender rows compare equal durability.',
          );
        }
        return lines;
      },
      async close() {},
    };
  },
};
