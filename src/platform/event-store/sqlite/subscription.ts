import { EVENT_PAGES, eventsOfPages, type PagedEvents, type RecordedEvent, type Subscription } from '../event-store.port.js';
import { decodedPage, type EventRow } from './statements.js';

// Other processes (the CLI) may append to the same file; a live subscription also polls this often.
const POLL_INTERVAL_MS = 1000;

/** What a subscription reads from its store. */
export interface SubscriptionSource {
  /** The next rows of the log after this position (empty once the store is closed). */
  page(after: number): EventRow[];
  onCommit(listener: () => void): () => void;
  isStoreClosed(): boolean;
}

/**
 * Catch-up then live: reads pages after the last delivered position; when caught up, waits for the next commit.
 * Its events come one at a time or, through EVENT_PAGES, a page (PAGE_SIZE rows) at a time.
 */
export class SqliteSubscription implements Subscription, PagedEvents {
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private after: number,
    private readonly source: SubscriptionSource,
  ) {}

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
  }

  [Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    return eventsOfPages(this.pages(), () => this.closed);
  }

  [EVENT_PAGES](): AsyncGenerator<readonly RecordedEvent[]> {
    return this.pages();
  }

  private async *pages(): AsyncGenerator<readonly RecordedEvent[]> {
    const unsubscribe = this.source.onCommit(() => this.wake?.());
    try {
      while (!this.closed && !this.source.isStoreClosed()) {
        const rows = this.source.page(this.after);
        if (rows.length === 0) {
          await this.nextCommit();
          continue;
        }
        this.after = rows[rows.length - 1].position;
        yield* decodedPage(rows);
      }
    } finally {
      unsubscribe();
    }
  }

  /** Resolves at the next commit notice, or after POLL_INTERVAL_MS (a commit of another process), or on close. */
  private nextCommit(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, POLL_INTERVAL_MS).unref();
      this.wake = done;
    });
  }
}
