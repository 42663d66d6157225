import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { backupDataDir } from './backup.js';
import { type BackupSettings } from './backup-settings.js';
import { MANIFEST } from './manifest.js';

export interface BackupLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const PREFIX = 'jxc-backup-';

/** `jxc-backup-2026-03-01T06-00-00-000Z`: sorts by time. */
function backupName(at: Date): string {
  return `${PREFIX}${at.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * The service's scheduled backups: every `everyMs` one backup into a new directory of `dir`, then the
 * oldest finished ones beyond `keep` are deleted, and unfinished ones (no manifest: a stop or a crash
 * during a copy) too. A run that finds the previous one still running is skipped and logged. The timer is
 * unref'd: it never keeps the process alive.
 */
export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly settings: BackupSettings,
    private readonly logger: BackupLogger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.settings.everyMs);
    this.timer.unref();
  }

  /**
   * Stops the timer. A backup under way is not waited for (a large one would hold up the service's stop):
   * it is left without a manifest, and the next scheduled backup deletes it.
   */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.running) this.logger.warn('stopping during a scheduled backup: it is left unfinished (no manifest) and deleted by the next one');
  }

  /** One scheduled backup: 'skipped' when the previous one still runs, 'failed' when it failed (logged, and its directory removed). */
  async runOnce(): Promise<'done' | 'skipped' | 'failed'> {
    if (this.running) {
      this.logger.warn(`scheduled backup skipped: the previous one is still running`);
      return 'skipped';
    }
    const run = this.backupAndPrune();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = undefined;
    }
  }

  private async backupAndPrune(): Promise<'done' | 'failed'> {
    const root = resolve(this.settings.dir);
    const at = this.now();
    const target = join(root, backupName(at));
    const started = performance.now();
    try {
      await mkdir(root, { recursive: true, mode: 0o700 });
      const manifest = await backupDataDir(this.dataDir, target);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      this.logger.log(`scheduled backup ${target}: ${manifest.events} events up to position ${manifest.lastPosition ?? '(empty log)'} in ${seconds} s`);
    } catch (error) {
      this.logger.error(`scheduled backup ${target} failed: ${error instanceof Error ? error.message : String(error)}`);
      await rm(target, { recursive: true, force: true }).catch(() => undefined);
      return 'failed';
    }
    await this.prune(root, target).catch((error: unknown) => this.logger.error(`pruning old backups in ${root} failed: ${(error as Error).message}`));
    return 'done';
  }

  private async prune(root: string, current: string): Promise<void> {
    const names = (await readdir(root)).filter((name) => name.startsWith(PREFIX)).sort();
    const unfinished = names.filter((name) => join(root, name) !== current && !existsSync(join(root, name, MANIFEST)));
    const finished = names.filter((name) => existsSync(join(root, name, MANIFEST)));
    const expired = finished.slice(0, Math.max(0, finished.length - this.settings.keep));
    for (const name of [...unfinished, ...expired]) await rm(join(root, name), { recursive: true, force: true });
    if (expired.length > 0) this.logger.log(`deleted ${expired.length} old backup${expired.length === 1 ? '' : 's'} (keeping ${this.settings.keep}): ${expired.join(', ')}`);
  }
}
