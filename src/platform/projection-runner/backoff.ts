import { setTimeout as sleep } from 'node:timers/promises';

import { cappedBackoff } from '../backoff.js';

const FIRST_MS = 200;
const MAX_MS = 5000;

/** Failures in a row of something retried for ever (the store unreachable), and the wait after each: 200 ms, doubling, at most 5 s. */
export class Backoff {
  private failures = 0;

  /** Counts one more failure and waits its delay. */
  async afterFailure(): Promise<void> {
    this.failures++;
    await sleep(cappedBackoff(this.failures, FIRST_MS, MAX_MS));
  }

  /** It worked: the next failure waits the first delay again. */
  succeeded(): void {
    this.failures = 0;
  }
}
