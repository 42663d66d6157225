import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { SqliteDataKeyStore } from '../personal-data/sqlite-data-key-store.js';
import { backupDataDir } from './backup.js';
import { readManifest } from './manifest.js';
import { restoreDataDir } from './restore.js';

// Real SQLite stores on disk: a data directory from before personal data were sealed (no keys.sqlite), and one with keys.
let scratch: string;
let dataDir: string;

beforeEach(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'jxc-backup-keys-'));
  dataDir = join(scratch, 'data');
  const events = SqliteEventStore.open({ dataDir, durability: 'normal' });
  await events.append('order-SO-1', [{ eventId: 'e-1', type: 'Noted', data: { n: 1 }, metadata: {} }], 'no_stream');
  await events.close();
  await SqliteReadStore.open({ dataDir }).close();
});

afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('backups and the data keys', () => {
  it('a data directory without keys.sqlite is backed up without it, and restoring that backup leaves no data keys behind', async () => {
    const backup = join(scratch, 'backup');
    const manifest = await backupDataDir(dataDir, backup);
    expect(manifest.files.map((file) => file.name)).toEqual(['views.sqlite', 'events.sqlite']);
    expect(manifest.personalData).toBeUndefined();
    expect((await readManifest(backup)).files).toHaveLength(2);

    // A directory that has keys (and a leftover journal) since: the restored directory holds what the backup holds.
    const target = join(scratch, 'target');
    const keys = SqliteDataKeyStore.open(target);
    await keys.insertIfAbsent({ streamId: 'customer-c-1', wrapped: 'AAAA', masterKeyId: 'm', createdAt: '2026-03-01T00:00:00.000Z', destroyedAt: null });
    await keys.close();
    writeFileSync(join(target, 'keys.sqlite-journal'), 'stale');
    await restoreDataDir(backup, target, { force: true });
    expect(readdirSync(target).sort()).toEqual(['events.sqlite', 'views.sqlite']);
  });

  it('a data directory with keys.sqlite is backed up with it, last, summarised in the manifest; a master.key beside it is not copied', async () => {
    const keys = SqliteDataKeyStore.open(dataDir);
    await keys.insertIfAbsent({ streamId: 'customer-c-1', wrapped: 'AAAA', masterKeyId: 'master-1', createdAt: '2026-03-01T00:00:00.000Z', destroyedAt: null });
    await keys.insertIfAbsent({ streamId: 'customer-c-2', wrapped: 'BBBB', masterKeyId: 'master-2', createdAt: '2026-03-01T00:00:00.000Z', destroyedAt: null });
    await keys.destroy('customer-c-3', '2026-03-02T00:00:00.000Z');
    await keys.close();
    writeFileSync(join(dataDir, 'master.key'), 'not to be copied\n', { mode: 0o600 });
    const copied: string[] = [];
    const backup = join(scratch, 'backup');
    const manifest = await backupDataDir(dataDir, backup, { onProgress: (file) => void (copied.at(-1) === file || copied.push(file)) });
    expect(copied).toEqual(['views.sqlite', 'events.sqlite', 'keys.sqlite']);
    expect(manifest.personalData).toEqual({ liveKeys: 2, destroyedKeys: 1, masterKeyIds: ['master-1', 'master-2'], masterKeyIncluded: false });
    expect(readdirSync(backup).sort()).toEqual(['events.sqlite', 'keys.sqlite', 'manifest.json', 'views.sqlite']);

    const target = join(scratch, 'target');
    await restoreDataDir(backup, target, { force: false });
    expect(readdirSync(target).sort()).toEqual(['events.sqlite', 'keys.sqlite', 'views.sqlite']);
    expect(existsSync(join(target, 'master.key'))).toBe(false);
    const restored = SqliteDataKeyStore.open(target);
    expect(await restored.count()).toBe(3);
    expect((await restored.getMany(['customer-c-2'])).get('customer-c-2')?.wrapped).toBe('BBBB');
    await restored.close();
  });
});
