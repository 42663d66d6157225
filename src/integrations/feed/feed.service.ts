import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';

import { EVENT_STORE, type EventStore, hasCommitNotices } from '../../platform/event-store/event-store.port.js';
import { type FeedItem, feedItemOf, isBusinessEvent } from './feed-item.js';

export interface FeedRequest {
  /** Exclusive; undefined: from the start of the log. */
  readonly after: string | undefined;
  readonly limit: number;
  /** Only these event types; empty: every business event. */
  readonly types: readonly string[];
  /** Seconds to wait for a first item when there is none yet (0: answer at once). */
  readonly waitSeconds: number;
}

export interface FeedPage {
  readonly items: FeedItem[];
  /** The last item's position, or `after` (null: the start of the log) when there is none. */
  readonly last: string | null;
}

/** Another process (the CLI) may append to the same log: a waiting request also looks this often. */
const POLL_MS = 1000;

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * `GET /api/feed`: business events in log order after a position. A request that finds nothing waits (long
 * poll) until an append of this service wakes it (the embedded store's commit notices; otherwise it looks
 * every second), its time is up, or the service is asked to stop: a long poll answers at once on SIGTERM
 * or SIGINT, so it never holds up the graceful stop, which waits for the requests in flight.
 */
@Injectable()
export class FeedService implements BeforeApplicationShutdown {
  private readonly waiters = new Set<() => void>();
  private stopping = false;
  private readonly onStopSignal = () => this.stopWaiting();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    for (const signal of STOP_SIGNALS) process.on(signal, this.onStopSignal);
  }

  /** Throws when the store cannot read this as one of its positions. */
  checkPosition(position: string): void {
    this.store.comparePositions(position, position);
  }

  async page(request: FeedRequest): Promise<FeedPage> {
    const none: FeedPage = { items: [], last: request.after ?? null };
    let from = request.after;
    const deadline = Date.now() + request.waitSeconds * 1000;
    for (;;) {
      const { items, scannedTo } = await this.read(from, request);
      if (items.length > 0) return { items, last: items[items.length - 1].position };
      from = scannedTo ?? from;
      const left = deadline - Date.now();
      if (left <= 0 || this.stopping) return none;
      await this.nextAppend(left);
    }
  }

  beforeApplicationShutdown(): void {
    for (const signal of STOP_SIGNALS) process.off(signal, this.onStopSignal);
    this.stopWaiting();
  }

  private stopWaiting(): void {
    this.stopping = true;
    for (const wake of [...this.waiters]) wake();
  }

  private async read(after: string | undefined, { limit, types }: FeedRequest): Promise<{ items: FeedItem[]; scannedTo: string | undefined }> {
    const items: FeedItem[] = [];
    let scannedTo: string | undefined;
    for await (const event of this.store.readAll({ fromPosition: after })) {
      scannedTo = event.position;
      if (!isBusinessEvent(event) || (types.length > 0 && !types.includes(event.type))) continue;
      items.push(feedItemOf(event));
      if (items.length >= limit) break;
    }
    return { items, scannedTo };
  }

  /** Resolves at the next commit of this service, after `POLL_MS` (or `ms` if sooner), or when the service stops. */
  private nextAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const unsubscribe = hasCommitNotices(this.store) ? this.store.onCommit(() => done()) : () => undefined;
      const timer = setTimeout(() => done(), Math.min(ms, POLL_MS));
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
    });
  }
}
