import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';

import { KEY_STORE_FILE } from '../personal-data/sqlite-data-key-store.js';
import { keyStoreSummary } from './key-store-copy.js';
import { type BackupFile, type BackupManifest, type ManifestFile, REQUIRED_FILES, sha256File, writeManifest } from './manifest.js';
import { type CopyProgress, copySqlite } from './sqlite-copy.js';

export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

export interface BackupOptions {
  /** Called while a file is copied (about every 200 ms) and when it is done. */
  readonly onProgress?: (file: BackupFile, progress: CopyProgress) => void;
  readonly now?: () => Date;
}

/** The version in jxc's package.json (found upwards from this module: src/ or dist/src/). */
function jxcVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'jxc') return pkg.version ?? 'unknown';
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** Events in a copy of the log and its last position. */
export function logEnd(eventsFile: string): { events: number; lastPosition: string | null } {
  const db = new Database(eventsFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT count(*) AS events, max(position) AS last FROM events').safeIntegers().get() as { events: bigint; last: bigint | null };
    return { events: Number(row.events), lastPosition: row.last === null ? null : String(row.last) };
  } finally {
    db.close();
  }
}

/** The target: created with mode 0700, or an empty directory (made 0700); anything in it is refused. */
async function prepareTarget(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const entries = await readdir(dir);
  if (entries.length > 0) throw new BackupRefused(`${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}): a backup goes into a new or empty directory`);
  await chmod(dir, 0o700);
}

/**
 * A consistent backup of the embedded stores of `dataDir` into `targetDir`, while the service runs.
 * The views are copied FIRST, then the events: every checkpoint in the copied views is at or before
 * the end of the copied log (a view is never ahead of the log it was projected from); after a restore
 * the service's projections catch up from those checkpoints to the end of the log. The data keys
 * (keys.sqlite) are copied LAST: a party's key is stored before the first event it seals is appended, so
 * every key the copied log and views need is in the copy (an erasure made meanwhile is in it too). The
 * master key is never copied, whatever file holds it. The manifest (sizes, sha256, event count, last
 * position, which master keys wrap the copied data keys) is written last.
 */
export async function backupDataDir(dataDir: string, targetDir: string, options: BackupOptions = {}): Promise<BackupManifest> {
  for (const name of REQUIRED_FILES) {
    if (!existsSync(join(dataDir, name))) throw new BackupRefused(`no ${name} in ${dataDir}: nothing to back up (is JXC_DATA_DIR the service's data directory?)`);
  }
  await prepareTarget(targetDir);
  let createdAt = '';
  const copied: BackupFile[] = [];
  for (const name of REQUIRED_FILES) {
    if (name === 'events.sqlite') createdAt = (options.now?.() ?? new Date()).toISOString();
    await copySqlite(join(dataDir, name), join(targetDir, name), (progress) => options.onProgress?.(name, progress));
    copied.push(name);
  }
  // Looked for after the log was copied: a log that holds sealed data had its key store before.
  if (existsSync(join(dataDir, KEY_STORE_FILE))) {
    await copySqlite(join(dataDir, KEY_STORE_FILE), join(targetDir, KEY_STORE_FILE), (progress) => options.onProgress?.(KEY_STORE_FILE, progress));
    copied.push(KEY_STORE_FILE);
  }
  const files: ManifestFile[] = [];
  for (const name of copied) {
    const file = join(targetDir, name);
    files.push({ name, bytes: (await stat(file)).size, sha256: await sha256File(file) });
  }
  const personalData = copied.includes(KEY_STORE_FILE) ? { personalData: keyStoreSummary(join(targetDir, KEY_STORE_FILE)) } : {};
  const manifest: BackupManifest = { format: 1, createdAt, jxcVersion: jxcVersion(), ...logEnd(join(targetDir, 'events.sqlite')), files, ...personalData };
  await writeManifest(targetDir, manifest);
  return manifest;
}
