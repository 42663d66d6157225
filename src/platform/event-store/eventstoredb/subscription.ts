import { type RecordedEvent, type Subscription } from '../event-store.port.js';

/**
 * The part of the client's `AllStreamSubscription` (an object-mode Readable fed by the gRPC call) this adapter
 * uses: events, flow control, and `unsubscribe()` (cancels the gRPC call).
 */
export interface SubscriptionSource<T> {
  on(event: 'data', listener: (item: T) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

const HIGH_WATER = 512;
const LOW_WATER = 128;

/**
 * Catch-up then live delivery, in log order, as an async iterable that `close()` ends.
 *
 * The gRPC subscription is opened on the first iteration. Items are converted (and dropped when `convert`
 * says undefined: system events, the start position itself) as they arrive; at most HIGH_WATER converted
 * events wait in memory, then the source is paused, which back-pressures the gRPC stream. `close()` (or
 * leaving the `for await` early) stops delivery at once, even with events buffered, and cancels the call.
 * A server-side end or a transport error surfaces as an error from the iteration, after the events received
 * before it, so a runner can resubscribe from its checkpoint.
 */
export class StreamedSubscription<T> implements Subscription {
  private source: SubscriptionSource<T> | undefined;
  private readonly buffer: RecordedEvent[] = [];
  private paused = false;
  private failure: Error | undefined;
  private ended = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private iterated = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly open: () => SubscriptionSource<T>,
    private readonly convert: (item: T) => RecordedEvent | undefined,
    private readonly onClosed: () => void = () => undefined,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    if (this.iterated) throw new Error('a subscription can be iterated once');
    this.iterated = true;
    if (this.closed) return;
    this.start();
    try {
      for (;;) {
        if (this.closed) return;
        const next = this.buffer.shift();
        if (next !== undefined) {
          if (this.paused && this.buffer.length <= LOW_WATER) {
            this.paused = false;
            this.source?.resume();
          }
          yield next;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) throw new Error('EventStoreDB ended the subscription');
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      await this.close();
    }
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.signal();
    const source = this.source;
    this.closing = (async () => {
      try {
        if (source) {
          await source.unsubscribe().catch(() => undefined);
          source.destroy();
        }
      } finally {
        this.onClosed();
      }
    })();
    return this.closing;
  }

  private start(): void {
    const source = this.open();
    this.source = source;
    source.on('data', (item) => {
      if (this.closed || this.failure) return;
      let recorded: RecordedEvent | undefined;
      try {
        recorded = this.convert(item);
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (recorded === undefined) return;
      this.buffer.push(recorded);
      if (!this.paused && this.buffer.length >= HIGH_WATER) {
        this.paused = true;
        source.pause();
      }
      this.signal();
    });
    // Always listened to: an 'error' without a listener would crash the process.
    source.on('error', (error) => this.fail(error));
    source.on('end', () => this.finish());
    source.on('close', () => this.finish());
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.signal();
  }

  private finish(): void {
    this.ended = true;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
