import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { loosePermissions } from './permissions.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('data files are private to the service user (real SQLite files on disk)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'jxc-permissions-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the data directory 0700 and the event store file, its WAL and shared memory 0600', async () => {
    const dataDir = join(root, 'data');
    const events = SqliteEventStore.open({ dataDir, durability: 'full' });
    try {
      await events.append('order-1', [{ eventId: '0195a1b2-0000-7000-8000-000000000001', type: 'Noted', data: { n: 1 }, metadata: {} }], 'no_stream');
      expect(mode(dataDir)).toBe('700');
      for (const file of ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm']) {
        expect(existsSync(join(dataDir, file))).toBe(true);
        expect([file, mode(join(dataDir, file))]).toEqual([file, '600']);
      }
    } finally {
      await events.close();
    }
    expect(loosePermissions(dataDir)).toEqual([]);
  });

  it('creates the view store file, its WAL and shared memory 0600', async () => {
    const dataDir = join(root, 'data');
    const views = await SqliteReadStore.open({ dataDir });
    try {
      for (const file of ['views.sqlite', 'views.sqlite-wal', 'views.sqlite-shm']) {
        expect(existsSync(join(dataDir, file))).toBe(true);
        expect([file, mode(join(dataDir, file))]).toEqual([file, '600']);
      }
    } finally {
      await views.close();
    }
  });

  it('warns, one line each, about a data directory or file that others may read', () => {
    const dataDir = join(root, 'loose');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'events.sqlite'), '');
    chmodSync(join(dataDir, 'events.sqlite'), 0o644);
    writeFileSync(join(dataDir, 'views.sqlite'), '');
    chmodSync(join(dataDir, 'views.sqlite'), 0o600);
    expect(loosePermissions(dataDir)).toEqual([
      `data directory ${dataDir} is mode 0755, open to other users: chmod 700 ${dataDir}`,
      `data file ${join(dataDir, 'events.sqlite')} is mode 0644, open to other users: chmod 600 ${join(dataDir, 'events.sqlite')}`,
    ]);
    expect(loosePermissions(join(root, 'missing'))).toEqual([]);
  });
});
