import { type Logger } from '@nestjs/common';

import { type EventStore, type RecordedEvent, type Subscription } from '../../platform/event-store/event-store.port.js';
import { retryDelay, RETRY_MAX_MS } from './retry-schedule.js';
import { shortError } from './stalled-processes.js';

export interface FollowHandlers {
  /** Run once before the first subscription (again after a failure, until it succeeds). */
  load(): Promise<void>;
  /** Where the next subscription starts (exclusive): the last position taken in. */
  from(): string | undefined;
  accept(event: RecordedEvent): Promise<void>;
}

/**
 * The recovery's subscription to the whole log: after `load`, from `from()`; a subscription that ends
 * or fails is opened again from the last position taken in, after the retry schedule's wait (the count
 * starts again once a subscription has lasted longer than the longest wait).
 */
export class ResubscribingFollower {
  private subscription: Subscription | undefined;
  private stopping = false;
  private loaded = false;
  private wakeSleep: (() => void) | undefined;
  private resubscriptions = 0;
  private error: string | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
    private readonly handlers: FollowHandlers,
  ) {}

  /** Follows until `stop()`. */
  async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let opened = Date.now();
      try {
        if (!this.loaded) await this.load();
        if (this.stopping) break;
        opened = Date.now();
        await this.follow(() => {
          failures = 0;
        });
        if (this.stopping) break;
        // The store ended it (an EventStoreDB subscription ends when the server restarts).
        throw new Error('the event store ended the subscription');
      } catch (error) {
        await this.subscription?.close().catch(() => undefined);
        if (this.stopping) break;
        if (Date.now() - opened > RETRY_MAX_MS) failures = 0;
        failures++;
        await this.waitAfter(error, failures);
      }
    }
  }

  /** Ends the wait or the subscription; `run()` then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleep?.();
    await this.subscription?.close().catch(() => undefined);
  }

  stats(): { resubscriptions: number; subscriptionError: string | null } {
    return { resubscriptions: this.resubscriptions, subscriptionError: this.error };
  }

  private async load(): Promise<void> {
    await this.handlers.load();
    this.loaded = true;
  }

  private async follow(delivered: () => void): Promise<void> {
    this.subscription = this.store.subscribe({ fromPosition: this.handlers.from() });
    for await (const event of this.subscription) {
      delivered();
      this.error = null;
      await this.handlers.accept(event);
    }
  }

  private async waitAfter(error: unknown, failures: number): Promise<void> {
    this.resubscriptions++;
    this.error = shortError(error);
    const delay = retryDelay(failures);
    this.logger.warn(`${this.loaded ? 'subscription' : 'start'} failed (${this.error}); again from ${this.handlers.from() ?? 'the start of the log'} in ${delay} ms`);
    await this.sleep(delay);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }
}
