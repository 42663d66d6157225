import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export const MANIFEST = 'manifest.json';
/** The files of a backup, in the order they are copied: the views first (see backup.ts). */
export const BACKUP_FILES = ['views.sqlite', 'events.sqlite'] as const;
export type BackupFile = (typeof BACKUP_FILES)[number];

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
  const names = Array.isArray(manifest.files) ? manifest.files.map((file) => file.name).sort() : [];
  if (manifest.format !== 1 || names.join() !== [...BACKUP_FILES].sort().join()) throw new BackupInvalid(`${join(dir, MANIFEST)} is not a jxc backup manifest (format 1, files ${BACKUP_FILES.join(', ')})`);
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
