import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs mounted for a test: a real disk that fills up. */
export interface SmallDisk {
  readonly dir: string;
  /** Writes a file until the disk is full (ENOSPC). */
  fill(): void;
  /** Deletes the filler: the space is back. */
  free(): void;
  unmount(): void;
}

/**
 * Mounts a `sizeMb` tmpfs on a fresh directory (`mount -t tmpfs`, which needs root or CAP_SYS_ADMIN), or
 * returns why it cannot: the caller then skips its tests with that reason printed (CI runs as root).
 */
export function mountSmallDisk(sizeMb: number): SmallDisk | { readonly skip: string } {
  if (process.platform !== 'linux') return { skip: `tmpfs mounts need Linux (this is ${process.platform})` };
  const dir = mkdtempSync(join(tmpdir(), 'jxc-small-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.error || mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const reason = mounted.error?.message ?? (mounted.stderr.trim() || `exit ${mounted.status}`);
    return { skip: `cannot mount a ${sizeMb} MB tmpfs here (${reason}); run as root (CI does)` };
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      // The last partial chunk: fill what a 64 KB write could not.
      const fd2 = openSync(filler, 'a');
      try {
        for (;;) writeSync(fd2, Buffer.alloc(512, 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd2);
      }
    },
    free() {
      unlinkSync(filler);
    },
    unmount() {
      const result = spawnSync('umount', [dir], { encoding: 'utf8' });
      if (result.status !== 0) spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Prints why a suite is skipped, once, as the other optional suites do. */
export function printSkip(suite: string, reason: string): void {
  process.stdout.write(`${suite} skipped: ${reason}\n`);
}
