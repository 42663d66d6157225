// Runs the longest test files first, so that no worker is left with a minute-long crash suite at the end
// of the run while the other idles. Jest's own sequencer does this from the durations it recorded in its
// cache, but it runs every file without a recorded duration (a fresh checkout, a new or renamed file)
// before all the others, ordered by file size, which puts the crash and browser suites anywhere. Here a
// file without a recorded duration gets an estimate from where it lives instead, and every file is ordered
// by its duration alone (a file that failed last time is not moved to the front: it runs in its place).
import TestSequencer from '@jest/test-sequencer';

/** Seconds a file in these folders typically takes (measured on a 2-core machine, December 2026). */
const ESTIMATES = [
  [/\/test\/crash\//, 30],
  [/\/test\/browser\//, 15],
  [/\/test\/fault\//, 12],
  [/\/test\/cli\//, 8],
  [/\/test\/e2e\//, 4],
  [/\/test\/(contract|architecture)\//, 3],
  [/\.(int|property\.unit)\.spec\.ts$/, 1.5],
];

function estimate(path) {
  const normalised = path.replaceAll('\\', '/');
  for (const [pattern, seconds] of ESTIMATES) if (pattern.test(normalised)) return seconds * 1000;
  return 300;
}

export default class SlowestFirstSequencer extends TestSequencer {
  sort(tests) {
    const duration = new Map(tests.map((test) => [test, this.time(test) ?? estimate(test.path)]));
    for (const test of tests) test.duration = duration.get(test);
    return [...tests].sort((a, b) => duration.get(b) - duration.get(a) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
