import { Logger } from '@nestjs/common';
import cluster, { type Worker } from 'node:cluster';

import { isCommittedMessage } from './commit-relay.js';
import { stopWithParent } from './stop-with-parent.js';

/** A worker that dies is started again after this long (not at once: a crash loop would take the machine). */
const RESTART_AFTER_MS = 1000;
/** How long a stop waits for the workers' own graceful stops (main.ts: 10 s drain + 20 s close) before SIGKILL. */
const STOP_TIMEOUT_MS = 35_000;

/**
 * The primary process of JXC_WORKERS=N (N ≥ 2): forks N service processes (node:cluster; they share the port,
 * connections handed out round robin) on one data directory and keeps N running. The first is forked alone and
 * the others once it listens, so that one process creates or upgrades the stores' schemas. A worker that exits
 * or is killed (SIGKILL included) is started again after RESTART_AFTER_MS; a worker that dies before it ever
 * listened while none listens means the service cannot start: the primary stops with exit code 1.
 * SIGTERM or SIGINT: each worker stops gracefully (its requests in flight answered, its stores closed); the
 * primary exits once they have, 0 when each exited 0; the same when the parent that forked it with an IPC channel is
 * gone (stop-with-parent.ts). It also passes commit notices between the workers.
 */
export function supervise(workers: number, logger = new Logger('Supervisor')): void {
  new Supervisor(workers, logger).start();
}

function ignoreSendError(): void {
  // A commit notice a stopping worker did not get: nothing to do (commit-relay.ts).
}

class Supervisor {
  private stopping = false;
  private listening = 0;
  private failed = false;
  private readonly everListened = new WeakSet<Worker>();

  constructor(
    private readonly workers: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    // A commit in one process: the others (the leader's projections and recovery) read on now (commit-relay.ts).
    cluster.on('message', (from, message) => {
      if (!isCommittedMessage(message)) return;
      // A worker that is stopping may close its channel between the check and the send (EPIPE): the notice is then
      // of no use to it, and the error must not become an unhandled 'error' event that ends the primary.
      for (const worker of this.running()) if (worker !== from && worker.isConnected()) worker.send(message, undefined, ignoreSendError);
    });
    cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal));
    process.on('SIGTERM', (signal) => this.stop(signal));
    process.on('SIGINT', (signal) => this.stop(signal));
    stopWithParent(() => this.stop('SIGTERM'), this.logger);
    this.logger.log(`starting ${this.workers} service processes on one store (JXC_WORKERS=${this.workers})`);
    this.fork();
  }

  private running(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
  }

  private fork(): void {
    const worker = cluster.fork();
    worker.once('listening', () => {
      this.everListened.add(worker);
      this.listening++;
      // The first one listens: the stores are open and their schemas current; the others start now.
      if (this.listening === 1) for (let i = this.running().length; i < this.workers; i++) this.fork();
    });
  }

  private exited(worker: Worker, code: number, signal: string): void {
    if (this.everListened.has(worker)) this.listening--;
    if (this.stopping) {
      if (code !== 0) this.failed = true;
      if (this.running().length === 0) {
        this.logger.log('every service process stopped');
        process.exit(this.failed ? 1 : 0);
      }
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (!this.everListened.has(worker) && this.listening === 0) {
      this.logger.error(`service process ${worker.process.pid} ${how} before it listened: jxc cannot start; stopping`);
      this.failed = true;
      this.stop('SIGTERM');
      return;
    }
    this.logger.warn(`service process ${worker.process.pid} ${how}: starting another in ${RESTART_AFTER_MS} ms`);
    setTimeout(() => {
      if (!this.stopping) this.fork();
    }, RESTART_AFTER_MS);
  }

  private stop(signal: NodeJS.Signals): void {
    if (this.stopping) return;
    this.stopping = true;
    const running = this.running();
    this.logger.log(`${signal} received: stopping the ${running.length} service process(es)`);
    if (running.length === 0) process.exit(this.failed ? 1 : 0);
    for (const worker of running) worker.process.kill('SIGTERM');
    setTimeout(() => {
      this.logger.error(`the service processes did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing them`);
      for (const worker of this.running()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
  }
}
