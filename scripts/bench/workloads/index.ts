import { type PendingWorkload } from '../harness/report.js';
import { type Workload } from '../harness/workload.js';
import { aggregateLoadWorkload } from './aggregate-load.js';
import { appendsWorkload } from './append.js';
import { commandsWorkload } from './commands.js';

/**
 * Every workload `npm run bench` runs, in this order. Adding one is one line here: a module in this
 * folder exporting a `Workload` (see harness/workload.ts and docs/benchmarks.md, "Adding a workload").
 */
export const WORKLOADS: readonly Workload[] = [
  appendsWorkload,
  aggregateLoadWorkload,
  commandsWorkload,
];

/**
 * Issue 6's workloads that nobody has written yet. Not run and never given a figure: docs/benchmarks.md
 * lists them under "Not measured yet". Delete the entry when its workload joins WORKLOADS.
 */
export const PENDING_WORKLOADS: readonly PendingWorkload[] = [
  {
    name: 'projections',
    what: 'catch-up and rebuild of 1M events, with peak RSS (scripts/bench/workloads/projections.ts).',
    target: 'catch-up ≥ 100,000 events/s; rebuild of 1M events ≤ 20 s with peak RSS ≤ 300 MB',
  },
  {
    name: 'order list',
    what: 'order-list page query latency, p50/p99, at 1M orders.',
    target: 'p99 ≤ 10 ms',
  },
];
