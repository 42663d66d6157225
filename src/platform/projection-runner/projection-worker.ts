// The projection runners on a thread of their own: the service's thread decides and appends, this one
// projects. Own connections to both stores; the service sends commit notices, this thread reports
// each view's progress (read-your-writes, /api/health, /api/metrics). Plain modules, no Nest.
import { parentPort, workerData } from 'node:worker_threads';

import { PROJECTION_GROUPS } from '../../../projections/index.js';
import { hasCommitNotices } from '../event-store/event-store.port.js';
import { openEventStore } from '../event-store/open-event-store.js';
import { openReadStore } from '../read-store/open-read-store.js';
import { ProjectionRunner } from './projection-runner.js';
import { rebuildGroup } from './rebuild.js';
import { SharedLog } from './shared-log.js';
import { type FromWorker, type ProjectionWorkerData, type ToWorker } from './projection-worker-protocol.js';
import { ensureViews } from './view-catalog.js';

const STATUS_EVERY_MS = 250;

const port = parentPort;
if (!port) throw new Error('projection-worker.js runs as a worker thread of the service');
const { config } = workerData as ProjectionWorkerData;
const send = (message: FromWorker) => port.postMessage(message);

// It only reads the log, front to back: a small page cache (open-event-store.ts).
const events = await openEventStore(config, 'log-reader');
const views = await openReadStore(config);
// Each connection learns the view definitions (the service has created the tables and indexes already).
await ensureViews(views);
const logger = {
  log: (message: string) => send({ type: 'log', level: 'log', message }),
  warn: (message: string) => send({ type: 'log', level: 'warn', message }),
  error: (message: string) => send({ type: 'log', level: 'error', message }),
};

let statusQueued = false;
/** One status message per turn of the event loop at most, after the batch's checkpoints are in place. */
function reportSoon(): void {
  if (statusQueued) return;
  statusQueued = true;
  setImmediate(() => {
    statusQueued = false;
    report();
  });
}
function report(): void {
  send({ type: 'status', groups: runners.map((runner) => runner.status()) });
}

// Every group follows the log through one shared read (decoded once); rebuilds read on their own.
const log = new SharedLog(events);
const runners = PROJECTION_GROUPS.map(
  (group) =>
    new ProjectionRunner(group, log, views, {
      logger,
      cacheBytes: config.projectionCacheMb === undefined ? undefined : config.projectionCacheMb * 1024 * 1024,
      // A group whose live generations were built at another version is rebuilt at start-up (group-version.ts).
      rebuild: (rebuilt, options) => rebuildGroup(events, views, rebuilt, options),
      observer: {
        batchWritten: (_group, names, count) => {
          send({ type: 'applied', views: names, events: count });
          reportSoon();
        },
        deadLettered: (view) => send({ type: 'dead-lettered', view }),
      },
    }),
);
// Status changes without a batch (retrying, a promoted generation) still reach the service.
const heartbeat = setInterval(report, STATUS_EVERY_MS);

port.on('message', (message: ToWorker) => {
  if (message.type === 'committed') {
    if (hasCommitNotices(events)) events.notifyCommitted();
  } else if (message.type === 'stop') {
    void stop();
  }
});

async function stop(): Promise<void> {
  clearInterval(heartbeat);
  await Promise.all(runners.map((runner) => runner.stop()));
  report();
  await log.close();
  await events.close();
  await views.close();
  send({ type: 'stopped' });
  port!.close();
}

for (const runner of runners) runner.start();
report();
