import { ConfigError } from '../config/config.js';

/** Scheduled backups, from JXC_BACKUP_DIR, JXC_BACKUP_EVERY and JXC_BACKUP_KEEP; undefined when JXC_BACKUP_DIR is unset. */
export interface BackupSettings {
  readonly dir: string;
  readonly everyMs: number;
  readonly keep: number;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** setInterval's longest delay (about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;

function every(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return UNITS.d;
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]] : NaN;
  if (!match || ms < 1000 || ms > MAX_DELAY_MS) throw new ConfigError(`JXC_BACKUP_EVERY must be a duration like 30m, 6h or 1d (1s to 24d), got ${JSON.stringify(value)}`);
  return ms;
}

function keep(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 7;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new ConfigError(`JXC_BACKUP_KEEP must be a whole number of backups to keep, at least 1, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function backupSettings(env: NodeJS.ProcessEnv = process.env): BackupSettings | undefined {
  const dir = env.JXC_BACKUP_DIR?.trim();
  if (dir === undefined || dir === '') {
    if (env.JXC_BACKUP_EVERY || env.JXC_BACKUP_KEEP) throw new ConfigError('JXC_BACKUP_EVERY and JXC_BACKUP_KEEP need JXC_BACKUP_DIR (where the backups go)');
    return undefined;
  }
  return { dir, everyMs: every(env.JXC_BACKUP_EVERY), keep: keep(env.JXC_BACKUP_KEEP) };
}
