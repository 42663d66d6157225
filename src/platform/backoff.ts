/**
 * The wait after the `failures`-th failure in a row of something retried for ever: `firstMs`, doubling after
 * each further failure, at most `maxMs`. Deterministic (no jitter): one process has nobody to spread out from.
 */
export function cappedBackoff(failures: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}
