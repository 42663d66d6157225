import { type RecordedEvent, type Subscription } from '../event-store.port.js';
import { decode, type EventRow } from './statements.js';

// Other processes (the CLI) may append to the same file; a live subscription also polls this often.
const POLL_INTERVAL_MS = 1000;

/** What a subscription reads from its store. */
export interface SubscriptionSource {
  /** The next rows of the log after this position (empty once the store is closed). */
  page(after: number): EventRow[];
  onCommit(listener: () => void): () => void;
  isStoreClosed(): boolean;
}

/** Catch-up then live: reads pages after the last delivered position; when caught up, waits for the next commit. */
export class SqliteSubscription implements Subscription {
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

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    const unsubscribe = this.source.onCommit(() => this.wake?.());
    try {
      while (!this.closed && !this.source.isStoreClosed()) {
        const rows = this.source.page(this.after);
        for (const row of rows) {
          if (this.closed) return;
          this.after = row.position;
          yield decode(row);
        }
        if (rows.length === 0) await this.nextCommit();
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
