import { Logger } from '@nestjs/common';
import cluster from 'node:cluster';

/**
 * Started by a parent over an IPC channel (a test harness, a process manager that forks it; not a node:cluster worker,
 * whose channel is the supervisor's): when that channel closes, the parent is gone, killed or crashed, and nobody is
 * left to stop this process, so it stops itself as on SIGTERM instead of running on unowned.
 */
export function stopWithParent(stop: () => void, logger = new Logger('jxc')): void {
  if (cluster.isWorker || process.send === undefined) return;
  process.once('disconnect', () => {
    logger.warn('the parent process that started this one is gone (its IPC channel closed): stopping as on SIGTERM');
    stop();
  });
}
