import { type Logger } from '@nestjs/common';

import { type ReadStore } from '../../platform/read-store/read-store.port.js';
import { type DueProcesses } from './due-processes.js';
import { nextCheckpoint } from './recovery-checkpoint.js';
import { retryDelay } from './retry-schedule.js';
import { shortError, STALLED_PROCESSES_VIEW } from './stalled-processes.js';

export const PROCESS_CHECKPOINT = 'process-manager:orders';

/**
 * What the process recovery keeps in the read store: the changed `stalled_processes` documents, then
 * its checkpoint (recovery-checkpoint.ts). One write at a time; a failed write is tried again on the
 * retry schedule (nothing is lost meanwhile: the due processes are in memory, the checkpoint only lags).
 */
export class RecoveryPersistence {
  private persisting: Promise<void> = Promise.resolve();
  private queued = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private stored: string | undefined;

  constructor(
    private readonly readStore: ReadStore,
    private readonly due: DueProcesses,
    /** Every event up to this position has had its processes run (settled, or due). */
    private readonly attemptedUpTo: () => string | undefined,
    private readonly compare: (a: string, b: string) => number,
    private readonly logger: Logger,
  ) {}

  /** The stored checkpoint, read on start. */
  async load(): Promise<string | undefined> {
    this.stored = await this.readStore.getCheckpoint(PROCESS_CHECKPOINT);
    return this.stored;
  }

  /** Position up to which every process is known to have finished (the stored checkpoint). */
  checkpoint(): string | undefined {
    return this.stored;
  }

  /** Queues one write of what changed (at most one queued at a time). */
  persist(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued) return;
    this.queued = true;
    this.persisting = this.persisting
      .then(async () => {
        this.queued = false;
        await this.writeDocuments();
        await this.storeCheckpoint();
        this.failures = 0;
      })
      .catch((error: unknown) => {
        this.failures++;
        const delay = retryDelay(this.failures);
        this.logger.error(`could not store the stalled processes or the checkpoint (${shortError(error)}); again in ${delay} ms`);
        if (!this.stopped) this.timer = setTimeout(() => this.persist(), delay);
      });
  }

  /** No more retries after a failure; one last `persist()` and `flushed()` still write. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Resolves once the writes queued so far are done (or failed). */
  flushed(): Promise<void> {
    return this.persisting;
  }

  private async writeDocuments(): Promise<void> {
    const { writes, failed } = this.due.takeWrites();
    if (writes.length === 0) return;
    try {
      await this.readStore.writeBatch(STALLED_PROCESSES_VIEW.name, writes);
    } catch (error) {
      failed();
      throw error;
    }
  }

  private async storeCheckpoint(): Promise<void> {
    const next = nextCheckpoint(this.attemptedUpTo(), this.due.holds(), this.stored, this.compare);
    if (next === undefined) return;
    await this.readStore.setCheckpoint(PROCESS_CHECKPOINT, next);
    if (this.stored === undefined || this.compare(next, this.stored) > 0) this.stored = next;
  }
}
