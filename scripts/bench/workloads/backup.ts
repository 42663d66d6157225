import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { backupDataDir } from '../../../src/platform/backup/backup.js';
import { SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { type Workload } from '../harness/workload.js';
import { newOrderId, sampleEvent } from './sample-event.js';

// JXC_BENCH_BACKUP_EVENTS: the log's size (1000000 for the 1M-event figure).
const FULL_EVENTS = Number(process.env.JXC_BENCH_BACKUP_EVENTS ?? 200_000);
const QUICK_EVENTS = 20_000;
const BATCH = 10_000;

/**
 * A data directory with a log of `events` placements (~600 bytes each, one stream per order) and an
 * empty views file, made once under `.bench/` with plain inserts (not measured); `ready` is written last.
 */
async function ensureDataDir(scratchDir: string, events: number): Promise<string> {
  const dir = join(scratchDir, `backup-data-${events}`);
  if (existsSync(join(dir, 'ready'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  await SqliteEventStore.open({ dataDir: dir, durability: 'normal' }).close();
  await SqliteReadStore.open({ dataDir: dir }).close();
  const db = new Database(join(dir, 'events.sqlite'));
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata) VALUES (?, 0, ?, ?, ?, ?)');
  const batch = db.transaction((count: number) => {
    for (let i = 0; i < count; i++) {
      const orderId = newOrderId();
      const event = sampleEvent(orderId);
      insert.run(`order-${orderId}`, event.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
    }
  });
  for (let written = 0; written < events; written += BATCH) batch(Math.min(BATCH, events - written));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  writeFileSync(join(dir, 'ready'), `${events}\n`);
  return dir;
}

/** `jxc backup` of a large log: both files copied (VACUUM INTO), hashed and counted; nothing writes meanwhile. */
export const backupWorkload: Workload = {
  name: 'backup',
  title: 'Backup of a large log (jxc backup)',
  limits:
    'One VACUUM INTO per file in a worker thread, then a sha256 of each copy and a count of the copied log: bound by the disk (the copy is written and read back once) and by SQLite rebuilding the indexes of the copy; not by the event loop, which stays free.',
  async prepare(options) {
    const events = options.quick ? QUICK_EVENTS : FULL_EVENTS;
    const dataDir = await ensureDataDir(options.scratchDir, events);
    const bytes = statSync(join(dataDir, 'events.sqlite')).size;
    const targets = join(options.scratchDir, 'backup-copies');
    mkdirSync(targets, { recursive: true });
    let run = 0;
    const subject = {
      key: `backup-${events}`,
      label: `jxc backup of ${events.toLocaleString('en-US')} events (${(bytes / 1024 / 1024).toFixed(0)} MiB)`,
      async run() {
        const target = join(targets, `run-${run++}`);
        rmSync(target, { recursive: true, force: true });
        const started = performance.now();
        const manifest = await backupDataDir(dataDir, target);
        const seconds = (performance.now() - started) / 1000;
        rmSync(target, { recursive: true, force: true });
        if (manifest.events !== events) throw new Error(`the copy holds ${manifest.events} events, not ${events}`);
        return { eventsPerSecond: events / seconds, seconds };
      },
    };
    return {
      cases: [
        { name: 'backup-events-per-second', title: `backup of a ${events.toLocaleString('en-US')}-event log`, unit: 'events/s', durability: 'n/a', higherIsBetter: true, subject, metric: 'eventsPerSecond' },
        { name: 'backup-seconds', title: `backup of a ${events.toLocaleString('en-US')}-event log, wall time`, unit: 's', durability: 'n/a', higherIsBetter: false, subject, metric: 'seconds' },
      ],
      notes: () => [`log: ${events.toLocaleString('en-US')} events, events.sqlite ${(bytes / 1024 / 1024).toFixed(1)} MiB; JXC_BENCH_BACKUP_EVENTS=1000000 for the 1M-event figure`],
      close: async () => rmSync(targets, { recursive: true, force: true }),
    };
  },
};
