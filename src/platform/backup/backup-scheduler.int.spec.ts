import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { ConfigError } from '../config/config.js';
import { BackupScheduler } from './backup-scheduler.js';
import { backupSettings } from './backup-settings.js';

// Real SQLite stores on disk, backed up by the scheduler the service runs.
let scratch: string;
let dataDir: string;
let backups: string;
const messages: string[] = [];
const logger = { log: (m: string) => messages.push(`log ${m}`), warn: (m: string) => messages.push(`warn ${m}`), error: (m: string) => messages.push(`error ${m}`) };

beforeEach(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'jxc-backup-scheduler-'));
  dataDir = join(scratch, 'data');
  backups = join(scratch, 'backups');
  messages.length = 0;
  const events = SqliteEventStore.open({ dataDir, durability: 'normal' });
  await events.append('order-SO-1', [{ eventId: 'e-1', type: 'Noted', data: { n: 1 }, metadata: {} }], 'no_stream');
  await events.close();
  await SqliteReadStore.open({ dataDir }).close();
});

afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function clock(): () => Date {
  let at = Date.parse('2026-03-01T00:00:00Z');
  return () => new Date((at += 3_600_000));
}

describe('scheduled backups', () => {
  it('keeps the newest JXC_BACKUP_KEEP backups and deletes older and unfinished ones', async () => {
    mkdirSync(join(backups, 'jxc-backup-2000-01-01T00-00-00-000Z'), { recursive: true }); // unfinished: no manifest
    mkdirSync(join(backups, 'unrelated'));
    const scheduler = new BackupScheduler(dataDir, { dir: backups, everyMs: 60_000, keep: 2 }, logger, clock());
    for (let i = 0; i < 3; i++) expect(await scheduler.runOnce()).toBe('done');
    const kept = readdirSync(backups).sort();
    expect(kept).toEqual(['jxc-backup-2026-03-01T02-00-00-000Z', 'jxc-backup-2026-03-01T03-00-00-000Z', 'unrelated']);
    for (const name of kept.slice(0, 2)) expect(existsSync(join(backups, name, 'manifest.json'))).toBe(true);
    expect(messages).toContainEqual(expect.stringMatching(/^log scheduled backup .*jxc-backup-2026-03-01T03-00-00-000Z: 1 events up to position 1 in/));
    expect(messages).toContainEqual('log deleted 1 old backup (keeping 2): jxc-backup-2026-03-01T01-00-00-000Z');
  });

  it('skips a run while the previous one still runs, and logs it', async () => {
    const scheduler = new BackupScheduler(dataDir, { dir: backups, everyMs: 60_000, keep: 7 }, logger, clock());
    const first = scheduler.runOnce();
    expect(await scheduler.runOnce()).toBe('skipped');
    expect(await first).toBe('done');
    expect(messages).toContain('warn scheduled backup skipped: the previous one is still running');
    expect(readdirSync(backups)).toHaveLength(1);
  });

  it('logs a failed backup and leaves no directory behind', async () => {
    rmSync(join(dataDir, 'views.sqlite'));
    const scheduler = new BackupScheduler(dataDir, { dir: backups, everyMs: 60_000, keep: 7 }, logger, clock());
    expect(await scheduler.runOnce()).toBe('failed');
    expect(messages).toContainEqual(expect.stringMatching(/^error scheduled backup .* failed: no views\.sqlite in /));
    expect(readdirSync(backups)).toEqual([]);
  });
});

describe('backup settings', () => {
  it('reads JXC_BACKUP_DIR, JXC_BACKUP_EVERY and JXC_BACKUP_KEEP, with defaults of one day and 7', () => {
    expect(backupSettings({})).toBeUndefined();
    expect(backupSettings({ JXC_BACKUP_DIR: '/b' })).toEqual({ dir: '/b', everyMs: 86_400_000, keep: 7 });
    expect(backupSettings({ JXC_BACKUP_DIR: '/b', JXC_BACKUP_EVERY: '6h', JXC_BACKUP_KEEP: '3' })).toEqual({ dir: '/b', everyMs: 21_600_000, keep: 3 });
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => backupSettings({ JXC_BACKUP_DIR: '/b', JXC_BACKUP_EVERY: '6 hours' })).toThrow(new ConfigError('JXC_BACKUP_EVERY must be a duration like 30m, 6h or 1d (1s to 24d), got "6 hours"'));
    expect(() => backupSettings({ JXC_BACKUP_DIR: '/b', JXC_BACKUP_KEEP: '0' })).toThrow(/^JXC_BACKUP_KEEP must be a whole number/);
    expect(() => backupSettings({ JXC_BACKUP_EVERY: '6h' })).toThrow(/need JXC_BACKUP_DIR/);
  });
});
