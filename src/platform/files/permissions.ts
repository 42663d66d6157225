import { closeSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Only the service's own user reads the data: the directory 0700, its files 0600. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const GROUP_OR_OTHERS = 0o077;

/** Creates the data directory (and missing parents) as 0700; an existing directory is left as it is. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/**
 * Creates a database file as 0600 before SQLite opens it (an existing file keeps its mode). SQLite creates
 * the WAL, shared-memory and journal files with the mode of the database file, so they are 0600 too.
 */
export function privateFile(path: string): void {
  closeSync(openSync(path, 'a', FILE_MODE));
}

/** One line per thing in the data directory (the directory itself, its files) that group or others may read. */
export function loosePermissions(dataDir: string): string[] {
  if (process.platform === 'win32') return [];
  let dirMode: number;
  try {
    dirMode = statSync(dataDir).mode;
  } catch {
    return [];
  }
  const warnings: string[] = [];
  if ((dirMode & GROUP_OR_OTHERS) !== 0) {
    warnings.push(`data directory ${dataDir} is mode ${octal(dirMode)}, open to other users: chmod 700 ${dataDir}`);
  }
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(dataDir, entry.name);
    const mode = statSync(path).mode;
    if ((mode & GROUP_OR_OTHERS) !== 0) warnings.push(`data file ${path} is mode ${octal(mode)}, open to other users: chmod 600 ${path}`);
  }
  return warnings;
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}
