import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import { type ProjectedEvent } from '../../../projections/index.js';
import { eventPages, type RecordedEvent } from '../event-store/event-store.port.js';
import { projectedOrUnreadable } from './projected-events.js';

const IDLE = Symbol('idle');

export interface BatchLimits {
  /** Events per batch at most. */
  readonly maxBatch: number;
  /** A batch waits at most this long for more events before it is written. */
  readonly maxDelayMs: number;
  /** The order of the log's positions (the event store's `comparePositions`). */
  readonly compare: (a: string, b: string) => number;
}

/**
 * Cuts a stream of events into batches: a batch is written when it is full, as soon as the source has
 * nothing more to give right now (live events are written within one turn of the event loop), or after
 * `maxDelayMs`. One batch is written at a time, in log order.
 */
export class EventBatches {
  private tick: Promise<typeof IDLE> | undefined;

  constructor(private readonly limits: BatchLimits) {}

  /**
   * Reads `source` into batches and hands each to `write`; `until`: stop after that position (catch-up). The source is
   * read a page at a time where it can (EVENT_PAGES: the embedded store, the shared log), else one event at a time.
   */
  async consume(source: AsyncIterable<RecordedEvent>, until: string | undefined, write: (batch: readonly ProjectedEvent[]) => Promise<void>): Promise<void> {
    const pages = eventPages(source);
    let pending = pages.next();
    let batch: ProjectedEvent[] = [];
    let batchStarted = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const written = batch;
      batch = [];
      await write(written);
      // Catching up never leaves the event loop on its own (the embedded store answers synchronously): let requests in.
      await yieldToEventLoop();
    };
    try {
      for (;;) {
        const next = batch.length === 0 ? await pending : await Promise.race([pending, this.idle()]);
        if (next === IDLE) {
          await flush();
          continue;
        }
        if (next.done) break;
        pending = pages.next();
        let reachedEnd = false;
        for (const event of next.value) {
          if (batch.length === 0) batchStarted = Date.now();
          batch.push(projectedOrUnreadable(event));
          reachedEnd = until !== undefined && this.limits.compare(event.position, until) >= 0;
          if (reachedEnd || batch.length >= this.limits.maxBatch || Date.now() - batchStarted >= this.limits.maxDelayMs) await flush();
          if (reachedEnd) break;
        }
        if (reachedEnd) break;
      }
      await flush();
    } finally {
      // Not awaited: a live subscription's generator may be waiting for the next commit; closing the subscription ends it.
      void pages.return?.()?.catch(() => undefined);
    }
  }

  /** One event loop turn from now: a batch is written when the log has nothing more to give right away. */
  private idle(): Promise<typeof IDLE> {
    this.tick ??= new Promise((resolve) =>
      setImmediate(() => {
        this.tick = undefined;
        resolve(IDLE);
      }),
    );
    return this.tick;
  }
}
