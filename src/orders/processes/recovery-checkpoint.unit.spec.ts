import { describe, expect, it } from '@jest/globals';

import { nextCheckpoint } from './recovery-checkpoint.js';

const compare = (a: string, b: string) => Number(a) - Number(b);

describe('the process recovery checkpoint', () => {
  it('moves to the last position whose processes have all run, when nothing is due', () => {
    expect(nextCheckpoint('40', [], '10', compare)).toBe('40');
    expect(nextCheckpoint('40', [], undefined, compare)).toBe('40');
  });

  it('stops before the first event of a process that is still due, however far the runs went', () => {
    expect(nextCheckpoint('40', ['25', '31'], '10', compare)).toBe('25');
  });

  it('stays where it is while a process is due since the start of the log, or before nothing was run', () => {
    expect(nextCheckpoint('40', ['25', undefined], '10', compare)).toBeUndefined();
    expect(nextCheckpoint(undefined, [], '10', compare)).toBeUndefined();
  });

  it('never moves back', () => {
    expect(nextCheckpoint('40', ['5'], '10', compare)).toBeUndefined();
    expect(nextCheckpoint('10', [], '10', compare)).toBeUndefined();
  });
});
