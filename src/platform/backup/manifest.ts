import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { KEY_STORE_FILE } from '../personal-data/sqlite-data-key-store.js';

export const MANIFEST = 'manifest.json';
/**
 * The files of a backup, in the order they are copied: the views first, the data keys last (see backup.ts).
 * keys.sqlite is there when the data directory has one (a log written before personal data were sealed has none).
 * The master key is never in a backup.
 */
export const BACKUP_FILES = ['views.sqlite', 'events.sqlite', KEY_STORE_FILE] as const;
export type BackupFile = (typeof BACKUP_FILES)[number];
/** Every backup has these; keys.sqlite is optional. */
export const REQUIRED_FILES: readonly BackupFile[] = ['views.sqlite', 'events.sqlite'];

/** What the copy of keys.sqlite holds: enough to know which master key a restore needs, never a key. */
export interface PersonalDataSummary {
  /** Data keys that still open a party's personal data. */
  readonly liveKeys: number;
  /** Tombstones of erased parties. */
  readonly destroyedKeys: number;
  /** Fingerprints (ids) of the master keys that wrap the live data keys: reading them after a restore needs one of these. */
  readonly masterKeyIds: readonly string[];
  /** Always `false`: keep the master key apart from the backups (a backup with its key would undo any erasure and any sealing). */
  readonly masterKeyIncluded: false;
}

export interface ManifestFile {
  readonly name: BackupFile;
  readonly bytes: number;
  readonly sha256: string;
}

/** manifest.json, written last: a backup directory without one is unfinished. */
export interface BackupManifest {
  readonly format: 1;
  /** When the copy of the event log was made (ISO). */
  readonly createdAt: string;
  readonly jxcVersion: string;
  /** Events in the copy of the log, and its last position (null: empty log). */
  readonly events: number;
  readonly lastPosition: string | null;
  readonly files: readonly ManifestFile[];
  /** Present when keys.sqlite is in the backup. */
  readonly personalData?: PersonalDataSummary;
}

export class BackupInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupInvalid';
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch {
    throw new BackupInvalid(`no ${MANIFEST} in ${dir}: not a jxc backup, or an unfinished one`);
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupInvalid(`${join(dir, MANIFEST)} is not valid JSON`);
  }
  const names = Array.isArray(manifest.files) ? manifest.files.map((file) => file.name) : [];
  const known = names.every((name) => (BACKUP_FILES as readonly string[]).includes(name)) && new Set(names).size === names.length;
  if (manifest.format !== 1 || !known || !REQUIRED_FILES.every((name) => names.includes(name))) {
    throw new BackupInvalid(`${join(dir, MANIFEST)} is not a jxc backup manifest (format 1, files ${REQUIRED_FILES.join(', ')} and maybe ${KEY_STORE_FILE})`);
  }
  return manifest;
}

export interface FileCheck {
  readonly name: BackupFile;
  readonly ok: boolean;
  readonly detail: string;
}

/** Each file's size and sha256 against the manifest's. */
export async function checkFiles(dir: string, manifest: BackupManifest): Promise<FileCheck[]> {
  const checks: FileCheck[] = [];
  for (const file of manifest.files) {
    let sha256: string;
    try {
      sha256 = await sha256File(join(dir, file.name));
    } catch (error) {
      checks.push({ name: file.name, ok: false, detail: `unreadable: ${(error as Error).message}` });
      continue;
    }
    const ok = sha256 === file.sha256;
    checks.push({ name: file.name, ok, detail: ok ? `sha256 ${sha256.slice(0, 16)}... matches` : `sha256 ${sha256} differs from the manifest's ${file.sha256}: the file was changed or damaged` });
  }
  return checks;
}
