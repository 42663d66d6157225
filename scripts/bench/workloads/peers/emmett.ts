/**
 * The peer: Emmett's SQLite event store, installed by the harness into a scratch folder (`.bench/emmett/`,
 * gitignored) and run in child processes. It is never a dependency of jxc (it has no licence) and none of
 * its code is in this repository: this module only installs it with npm and calls its public API.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { closedLoop } from '../../harness/closed-loop.js';
import { newOrderId, sampleEvent } from '../sample-event.js';

/** The versions issue 6 names, plus the peers whose absence makes `--legacy-peer-deps` skip them. */
const EMMETT_PACKAGES = [
  '@event-driven-io/emmett@0.42.0',
  '@event-driven-io/emmett-sqlite@0.42.4',
  'sqlite3@5',
  'uuid@10',
  'async-retry@1',
  'commander@12',
] as const;

/**
 * `shared-connection`: one sqlite3 connection handed to the store (`connectionOptions: { singleton: true,
 * connection }`): the fastest configuration its public API offers, and the only one that takes
 * concurrent appends. `connection-per-append`: the README's `getSQLiteEventStore({ fileName })`, which
 * opens (and closes) a connection for every append.
 */
export type EmmettConfiguration = 'shared-connection' | 'connection-per-append';

export interface EmmettAppendsArgs {
  readonly installDir: string;
  readonly configuration: EmmettConfiguration;
  readonly durability: 'full' | 'normal';
  readonly writers: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}

export interface EmmettAppendsResult {
  readonly rate: number;
  readonly completed: number;
  readonly failed: number;
  readonly failures: readonly string[];
  /** Appends whose promise resolved while another append still held the same open transaction: acknowledged before their COMMIT. */
  readonly acknowledgedBeforeCommit: number;
  /** Errors that escaped Emmett as uncaught exceptions (they would end an unguarded process). */
  readonly uncaughtExceptions: number;
  readonly uncaughtMessages: readonly string[];
  /** Appends that left the transaction last, so that Emmett committed (and fsynced) on their way out. */
  readonly commits: number;
  readonly pragmas: { readonly journalMode: string; readonly synchronous: number };
  readonly sqliteVersion: string;
}

/** Installs the pinned packages once; later runs reuse the folder. Returns the folder, or throws with npm's last lines. */
export function ensureEmmettInstalled(scratchDir: string, log: (line: string) => void): string {
  const installDir = join(scratchDir, 'emmett');
  const marker = join(installDir, 'installed.json');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === JSON.stringify(EMMETT_PACKAGES)) return installDir;
  mkdirSync(installDir, { recursive: true });
  writeFileSync(
    join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'jxc-bench-peer-emmett', private: true, description: 'Scratch install for npm run bench; not part of jxc.', allowScripts: { sqlite3: true } }, null, 2)}\n`,
  );
  let lastOutput = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    log(`installing the peer into ${installDir} (${EMMETT_PACKAGES.join(' ')}), attempt ${attempt}; sqlite3 may compile from source (a few minutes)`);
    const npm = spawnSync('npm', ['install', '--legacy-peer-deps', '--no-audit', '--no-fund', ...EMMETT_PACKAGES], {
      cwd: installDir,
      encoding: 'utf8',
      timeout: 15 * 60 * 1000,
    });
    lastOutput = `${npm.stdout ?? ''}${npm.stderr ?? ''}`;
    writeFileSync(join(installDir, 'install.log'), lastOutput);
    if (npm.status === 0) {
      writeFileSync(marker, JSON.stringify(EMMETT_PACKAGES));
      return installDir;
    }
  }
  throw new Error(`npm install of the peer failed twice; see ${join(installDir, 'install.log')}:\n${lastOutput.trim().split('\n').slice(-6).join('\n')}`);
}

/** Versions actually installed (the ranges above resolve to these). */
export function installedVersions(installDir: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const spec of EMMETT_PACKAGES) {
    const name = spec.slice(0, spec.lastIndexOf('@'));
    versions[name] = (JSON.parse(readFileSync(join(installDir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  }
  return versions;
}

// The slice of Emmett's API this benchmark calls; its types are not ours to import.
interface EmmettConnection {
  command(sql: string, params?: unknown[]): Promise<unknown>;
  querySingle<Row>(sql: string, params?: unknown[]): Promise<Row | null>;
  withTransaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): void;
}
interface EmmettEventStore {
  appendToStream(streamName: string, events: { type: string; data: unknown; metadata?: unknown }[], options?: { expectedStreamVersion?: unknown }): Promise<unknown>;
  schema: { migrate(): Promise<void> };
}
interface EmmettSqliteModule {
  getSQLiteEventStore(options: Record<string, unknown>): EmmettEventStore;
  sqliteConnection(options: { fileName: string }): EmmettConnection;
}

async function importInstalled<Module>(installDir: string, name: string): Promise<Module> {
  const packageDir = join(installDir, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports?: { '.': { import: { default: string } } }; main?: string };
  const entry = manifest.exports?.['.'].import.default ?? manifest.main ?? 'index.js';
  return (await import(pathToFileURL(join(packageDir, entry)).href)) as Module;
}

/**
 * Child-process entry (see runInChild): `writers` concurrent callers, each appending one event to a new
 * stream with expectedStreamVersion STREAM_DOES_NOT_EXIST, on a fresh database file.
 */
export async function emmettAppends(args: EmmettAppendsArgs): Promise<EmmettAppendsResult> {
  const emmett = await importInstalled<{ STREAM_DOES_NOT_EXIST: unknown }>(args.installDir, '@event-driven-io/emmett');
  const sqlite = await importInstalled<EmmettSqliteModule>(args.installDir, '@event-driven-io/emmett-sqlite');
  // Should an error escape Emmett as an uncaught exception, the run counts it (the notes report it) instead of losing its figure.
  let uncaught = 0;
  const uncaughtMessages = new Set<string>();
  process.on('uncaughtException', (error) => {
    uncaught++;
    uncaughtMessages.add(error.message.split('\n')[0]);
  });
  const dir = mkdtempSync(join(tmpdir(), 'jxc-bench-emmett-'));
  const fileName = join(dir, 'emmett.sqlite');
  const opened: EmmettConnection[] = [];
  try {
    let inTransaction = 0;
    let acknowledgedBeforeCommit = 0;
    let commits = 0;
    const options: Record<string, unknown> = { fileName, schema: { autoMigration: 'None' } };
    let inspect: EmmettConnection | undefined;
    if (args.configuration === 'shared-connection') {
      const connection = sqlite.sqliteConnection({ fileName });
      opened.push(connection);
      if (args.durability === 'normal') await connection.command('PRAGMA synchronous = NORMAL');
      // Pass-through: counts appends that finish while another one is still inside the same transaction
      // (Emmett then leaves the COMMIT to the last one), so their promise resolves before they are durable.
      const counted: EmmettConnection = {
        ...connection,
        withTransaction: (fn) =>
          connection.withTransaction(async () => {
            inTransaction++;
            try {
              return await fn();
            } finally {
              inTransaction--;
              if (inTransaction > 0) acknowledgedBeforeCommit++;
              else commits++;
            }
          }),
      };
      options.connectionOptions = { singleton: true, connection: counted };
      inspect = connection;
    } else {
      if (args.durability !== 'full') throw new Error('connection-per-append opens its own connections: its synchronous setting cannot be changed');
    }
    const store = sqlite.getSQLiteEventStore(options);
    // As Emmett's own benchmark does: the schema is created up front, not inside the first append.
    await store.schema.migrate();
    const append = () => {
      const orderId = newOrderId();
      const event = sampleEvent(orderId);
      return store.appendToStream(`order-${orderId}`, [{ type: event.type, data: event.data, metadata: event.metadata }], {
        expectedStreamVersion: emmett.STREAM_DOES_NOT_EXIST,
      });
    };
    await closedLoop(args.writers, args.warmupSeconds, append);
    acknowledgedBeforeCommit = 0;
    commits = 0;
    const measured = await closedLoop(args.writers, args.seconds, append);
    if (!inspect) {
      // A connection like the ones it opens per append, only after them, to read the settings they had.
      inspect = sqlite.sqliteConnection({ fileName });
      opened.push(inspect);
    }
    const journal = await inspect.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
    const synchronous = await inspect.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    const version = await inspect.querySingle<{ version: string }>('SELECT sqlite_version() AS version');
    return {
      ...measured,
      acknowledgedBeforeCommit,
      uncaughtExceptions: uncaught,
      uncaughtMessages: [...uncaughtMessages],
      commits: args.configuration === 'shared-connection' ? commits : measured.completed,
      pragmas: { journalMode: journal?.journal_mode ?? 'unknown', synchronous: synchronous?.synchronous ?? -1 },
      sqliteVersion: version?.version ?? 'unknown',
    };
  } finally {
    for (const connection of opened) connection.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
