import { describe, expect, it } from '@jest/globals';

import { retryDelay, RETRY_FIRST_MS, RETRY_MAX_MS } from './retry-schedule.js';

describe('the retry schedule of a failed process', () => {
  it('waits 250 ms after the first failure, doubles after each further one, and stays at 30 s for ever', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(retryDelay)).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(retryDelay(10_000)).toBe(RETRY_MAX_MS);
    expect(retryDelay(0)).toBe(RETRY_FIRST_MS);
  });
});
