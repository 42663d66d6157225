import { cappedBackoff } from '../../platform/backoff.js';

/** The first retry of a failed process (and of a failed subscription) waits this long... */
export const RETRY_FIRST_MS = 250;
/** ...each further failure doubles the wait, up to this (no jitter: the schedule is deterministic). */
export const RETRY_MAX_MS = 30_000;

/** Milliseconds to wait after the `failures`-th failure in a row: 250, 500, 1 000, ... 16 000, then 30 000 for ever. */
export function retryDelay(failures: number): number {
  return cappedBackoff(failures, RETRY_FIRST_MS, RETRY_MAX_MS);
}
