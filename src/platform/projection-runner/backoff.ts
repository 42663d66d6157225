import { setTimeout as sleep } from 'node:timers/promises';

const FIRST_MS = 200;
const MAX_MS = 5000;

/** The wait after the `failures`-th failure in a row: 200 ms, doubling, at most 5 s. */
function backoffDelay(failures: number): number {
  return Math.min(MAX_MS, (FIRST_MS / 2) * 2 ** Math.min(failures, 6));
}

/** Failures in a row of something retried for ever (the store unreachable), and the wait after each. */
export class Backoff {
  private failures = 0;

  /** Counts one more failure and waits its delay. */
  async afterFailure(): Promise<void> {
    this.failures++;
    await sleep(backoffDelay(this.failures));
  }

  /** It worked: the next failure waits the first delay again. */
  succeeded(): void {
    this.failures = 0;
  }
}
