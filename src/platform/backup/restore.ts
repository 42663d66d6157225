import { existsSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { BackupRefused } from './backup.js';
import { type BackupManifest, BackupInvalid, BACKUP_FILES, checkFiles, readManifest } from './manifest.js';

/** What SQLite may keep beside a database: a rollback journal (keys.sqlite), a write-ahead log and its index. */
const SIDE_FILES = ['-journal', '-wal', '-shm'];

/**
 * The id of another process that has this file open, from /proc (Linux): jxc has no lock file, and a
 * SQLite lock probe is no answer in WAL mode (an idle connection holds no lock on the database file).
 * Without /proc (macOS) nothing is found: the service must be stopped before a restore.
 */
function processHolding(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const real = realpathSync(file);
  const wanted = new Set([real, ...SIDE_FILES.map((suffix) => `${real}${suffix}`)]);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** Refuses a data directory a running service holds, or (without `force`) one that has stores. */
function checkTarget(dataDir: string, force: boolean): void {
  for (const name of BACKUP_FILES) {
    const pid = processHolding(join(dataDir, name));
    if (pid !== undefined) throw new BackupRefused(`${join(dataDir, name)} is open in another process (pid ${pid}: is the service running?): stop it before restoring`);
  }
  const present = BACKUP_FILES.flatMap((name) => [name, `${name}-wal`, `${name}-journal`]).filter((name) => existsSync(join(dataDir, name)));
  if (present.length > 0 && !force) throw new BackupRefused(`${dataDir} already has data (${present.join(', ')}): restore into an empty directory, or pass --force to replace it`);
}

/**
 * Restores a backup into `dataDir` (created with mode 0700 if missing): the manifest's hashes are
 * checked first, then each file is copied beside its target and renamed over it, and the old
 * journals and write-ahead logs are removed (a stale -wal or -journal would be replayed into the
 * restored file). A backup without keys.sqlite (made before personal data were sealed) removes the
 * data directory's one: the directory then holds what the backup holds. The master key is not in a
 * backup: a master.key file in the data directory is left as it is.
 */
export async function restoreDataDir(backupDir: string, dataDir: string, options: { force: boolean }): Promise<BackupManifest> {
  const manifest = await readManifest(backupDir);
  const damaged = (await checkFiles(backupDir, manifest)).filter((check) => !check.ok);
  if (damaged.length > 0) throw new BackupInvalid(`the backup in ${backupDir} is damaged: ${damaged.map((check) => `${check.name}: ${check.detail}`).join('; ')}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  checkTarget(dataDir, options.force);
  const names = manifest.files.map((file) => file.name);
  for (const name of names) {
    const staged = join(dataDir, `${name}.restoring`);
    await copyFile(join(backupDir, name), staged);
    await chmod(staged, 0o600);
  }
  for (const name of BACKUP_FILES) {
    for (const suffix of SIDE_FILES) await rm(join(dataDir, `${name}${suffix}`), { force: true });
    if (names.includes(name)) await rename(join(dataDir, `${name}.restoring`), join(dataDir, name));
    else await rm(join(dataDir, name), { force: true });
  }
  return manifest;
}
