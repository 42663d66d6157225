import { type PendingWorkload } from '../harness/report.js';
import { type Workload } from '../harness/workload.js';
import { aggregateLoadWorkload } from './aggregate-load.js';
import { appendsWorkload } from './append.js';
import { backupWorkload } from './backup.js';
import { commandsWorkload } from './commands.js';
import { httpFrameworksWorkload } from './http-frameworks.js';
import { importWorkload } from './import.js';
import { orderListWorkload } from './order-list.js';
import { projectionsWorkload } from './projections.js';
import { workersWorkload } from './workers.js';

/**
 * Every workload `npm run bench` runs, in this order. Adding one is one line here: a module in this
 * folder exporting a `Workload` (see harness/workload.ts and docs/benchmarks.md, "Adding a workload").
 */
export const WORKLOADS: readonly Workload[] = [
  appendsWorkload,
  aggregateLoadWorkload,
  commandsWorkload,
  httpFrameworksWorkload,
  projectionsWorkload,
  orderListWorkload,
  backupWorkload,
  importWorkload,
  workersWorkload,
];

/**
 * Workloads of issues 6 and 16 that nobody has written yet. Not run and never given a figure: docs/benchmarks.md
 * lists them under "Not measured yet". Delete the entry when its workload joins WORKLOADS.
 */
export const PENDING_WORKLOADS: readonly PendingWorkload[] = [];
