import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { BackupRefused, backupDataDir, logEnd } from '../../platform/backup/backup.js';
import { integrityCheck, keyStoreSummary, sealedStreams, withoutKey } from '../../platform/backup/key-store-copy.js';
import { type BackupManifest, type FileCheck, BackupInvalid, checkFiles, readManifest } from '../../platform/backup/manifest.js';
import { restoreDataDir } from '../../platform/backup/restore.js';
import { type Config, loadConfig } from '../../platform/config/config.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { type Output } from '../output.js';
import { type ProgressBar, progressBar } from '../progress.js';
import { openStores } from '../stores.js';
import { verifyAudit } from './audit.js';
import { verifyProjections } from './projections.js';

const MIB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

/** jxc backs up its embedded stores only: EventStoreDB and MongoDB have their own tools. */
function embeddedOnly(config: Config): void {
  if (config.eventStoreUrl) throw usageError('EVENTSTORE_URL is set: back up EventStoreDB with its own tools (a file-copy backup of its database directory, see its documentation), not jxc backup');
  if (config.mongodbUrl) throw usageError('MONGODB_URL is set: back up MongoDB with mongodump (or a file-system snapshot), not jxc backup: the views and the data keys (collection jxc_data_keys) are there; the events stay in events.sqlite');
}

function asCliError(error: unknown): unknown {
  if (error instanceof BackupRefused) return new CliError(error.message, EXIT.usage);
  if (error instanceof BackupInvalid) return new CliError(error.message, EXIT.failed);
  return error;
}

/** `jxc backup <dir>`: a consistent copy of views.sqlite then events.sqlite, and manifest.json. */
export async function backup(config: Config, io: Output, dir: string, options: { progress: boolean }): Promise<number> {
  embeddedOnly(config);
  const target = resolve(dir);
  const bars = new Map<string, ProgressBar>();
  const started = performance.now();
  let manifest: BackupManifest;
  try {
    manifest = await backupDataDir(config.dataDir, target, {
      onProgress: (file, { bytes, total }) => {
        if (!options.progress) return;
        let bar = bars.get(file);
        if (!bar) bars.set(file, (bar = progressBar(file, mib(total), process.stderr, 'MiB')));
        bar.update(mib(bytes));
      },
    });
  } catch (error) {
    throw asCliError(error);
  } finally {
    for (const bar of bars.values()) bar.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const sizes = manifest.files.map((file) => `${file.name} ${mib(file.bytes)} MiB`).join(', ');
  io.out(`backup in ${target}: ${manifest.events.toLocaleString('en-US')} events up to position ${manifest.lastPosition ?? '(empty log)'}; ${sizes}; ${seconds.toFixed(1)} s`);
  io.out('the views were copied before the log: their checkpoints are at or before its end, and the service catches them up after a restore');
  io.out(masterKeyNote(manifest));
  return EXIT.ok;
}

/** Which master key reading the backup's personal data needs; it is never in the backup. */
function masterKeyNote(manifest: BackupManifest): string {
  const keys = manifest.personalData;
  if (!keys) return 'no keys.sqlite: this backup holds no sealed personal data';
  const ids = keys.masterKeyIds.length === 0 ? 'none (no live data key)' : keys.masterKeyIds.join(', ');
  return `personal data: ${keys.liveKeys} data keys, ${keys.destroyedKeys} erased, wrapped by master key id ${ids}; the master key is NOT in the backup: keep it apart, a restore needs it (JXC_MASTER_KEY or JXC_MASTER_KEY_FILE)`;
}

/** `jxc restore <dir> [--force]`: into JXC_DATA_DIR, which no running service may hold. */
export async function restore(config: Config, io: Output, dir: string, options: { force: boolean }): Promise<number> {
  embeddedOnly(config);
  let manifest: BackupManifest;
  try {
    manifest = await restoreDataDir(resolve(dir), config.dataDir, options);
  } catch (error) {
    throw asCliError(error);
  }
  io.out(`restored ${resolve(dir)} (made ${manifest.createdAt}, jxc ${manifest.jxcVersion}) into ${config.dataDir}: ${manifest.events.toLocaleString('en-US')} events up to position ${manifest.lastPosition ?? '(empty log)'}`);
  io.out(masterKeyNote(manifest));
  io.out('start the service: its projections catch up from their checkpoints to the end of the restored log');
  return EXIT.ok;
}

function reportFiles(io: Output, checks: readonly FileCheck[]): boolean {
  for (const check of checks) io.out(`${check.ok ? 'ok' : 'DAMAGED'} ${check.name}: ${check.detail}`);
  return checks.every((check) => check.ok);
}

/** The copy's event count and last position against the manifest's. */
function reportLogEnd(io: Output, workDir: string, manifest: BackupManifest): boolean {
  const end = logEnd(join(workDir, 'events.sqlite'));
  const ok = end.events === manifest.events && end.lastPosition === manifest.lastPosition;
  io.out(`${ok ? 'ok' : 'MISMATCH'} log: ${end.events} events up to position ${end.lastPosition ?? '(empty log)'} (manifest: ${manifest.events} up to ${manifest.lastPosition ?? '(empty log)'})`);
  return ok;
}

/**
 * The copy of keys.sqlite opened: SQLite's integrity check, its keys against the manifest's summary, and a key
 * (live or erased) for every party whose personal data the copied log seals: without it they could not be read.
 */
function reportKeys(io: Output, workDir: string, manifest: BackupManifest): boolean {
  const keysFile = manifest.personalData ? join(workDir, 'keys.sqlite') : undefined;
  let ok = true;
  if (keysFile !== undefined) {
    const integrity = integrityCheck(keysFile);
    const summary = keyStoreSummary(keysFile);
    const expected = manifest.personalData!;
    const same = summary.liveKeys === expected.liveKeys && summary.destroyedKeys === expected.destroyedKeys && summary.masterKeyIds.join() === expected.masterKeyIds.join();
    ok = integrity === 'ok' && same;
    io.out(
      `${ok ? 'ok' : 'MISMATCH'} keys.sqlite: integrity ${integrity}; ${summary.liveKeys} data keys, ${summary.destroyedKeys} erased, master key id ${summary.masterKeyIds.join(', ') || '(none)'}` +
        ` (manifest: ${expected.liveKeys}, ${expected.destroyedKeys}, ${expected.masterKeyIds.join(', ') || '(none)'}); the master key is not in the backup`,
    );
  }
  const sealed = sealedStreams(join(workDir, 'events.sqlite'));
  const missing = withoutKey(keysFile, sealed);
  if (missing.length > 0) {
    io.out(`MISSING data keys for ${missing.length} of the ${sealed.size} parties whose personal data the log seals (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}): those data could not be read after a restore`);
    return false;
  }
  if (sealed.size > 0) io.out(`ok data keys: every one of the ${sealed.size} parties whose personal data the log seals has its key (or its erasure) in keys.sqlite`);
  return ok;
}

/** Hash chains and projections, checked on a throw-away copy: the backup itself is never opened for writing. */
async function verifyCopy(io: Output, backupDir: string, manifest: BackupManifest, options: { progress: boolean; maxReported: number }): Promise<boolean> {
  const workDir = await mkdtemp(join(tmpdir(), 'jxc-backup-verify-'));
  try {
    for (const file of manifest.files) await cp(join(backupDir, file.name), join(workDir, file.name));
    const logOk = reportLogEnd(io, workDir, manifest);
    const keysOk = reportKeys(io, workDir, manifest);
    // The configuration's defaults (embedded stores) on the throw-away copy, whatever the environment says.
    const stores = await openStores(loadConfig({ JXC_DATA_DIR: workDir }), { events: true, views: true });
    try {
      const audit = await verifyAudit(stores, io, { progress: options.progress, json: false });
      const projections = await verifyProjections(stores, io, undefined, { progress: options.progress, maxReported: options.maxReported });
      return logOk && keysOk && audit === EXIT.ok && projections === EXIT.ok;
    } finally {
      await stores.close();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** `jxc backup verify <dir>`: manifest hashes, then `audit verify` and `projections verify` on a copy. Exit 1 on any failure. */
export async function verifyBackup(io: Output, dir: string, options: { progress: boolean; maxReported: number }): Promise<number> {
  const backupDir = resolve(dir);
  let ok: boolean;
  try {
    const manifest = await readManifest(backupDir);
    io.out(`backup in ${backupDir}: made ${manifest.createdAt} by jxc ${manifest.jxcVersion}, ${manifest.events} events`);
    ok = reportFiles(io, await checkFiles(backupDir, manifest));
    if (ok) ok = await verifyCopy(io, backupDir, manifest, options);
    else io.out('the hash chains and projections were not checked: a damaged file is not opened');
  } catch (error) {
    if (!(error instanceof BackupInvalid)) throw error;
    io.out(`not ok: ${error.message}`);
    return EXIT.failed;
  }
  io.out(ok ? 'backup verify: ok (files match the manifest, every hash chain holds, every view equals a replay of the log)' : 'backup verify: NOT OK (see above)');
  return ok ? EXIT.ok : EXIT.failed;
}
