// npm run bench:append — events/s of the embedded event store against raw better-sqlite3.
import { cpus } from 'node:os';

import { jxcAppends, rawSqliteSingleInsert } from './workloads/append.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const format = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`append benchmark: ${cpus().length} cores, Node ${process.version}, ${seconds} s per figure, one event per append, one new stream per append`);
const raw = rawSqliteSingleInsert(seconds);
console.log(`raw better-sqlite3, one INSERT per transaction, fsync each (full) : ${format(raw)} events/s`);
const results: Record<string, number> = {};
for (const durability of ['full', 'normal'] as const) {
  for (const writers of [1, 64]) {
    const rate = await jxcAppends(durability, writers, seconds);
    results[`${durability}/${writers}`] = rate;
    console.log(`jxc embedded adapter, ${String(writers).padStart(2)} concurrent appender(s), ${durability.padEnd(6)}: ${format(rate)} events/s`);
  }
}
console.log(`ratio jxc (64 appenders, full) / raw one-fsync-per-insert: ${(results['full/64'] / raw).toFixed(1)}x (goal: at least 4x)`);
