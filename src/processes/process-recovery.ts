import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { EVENT_STORE, type EventStore, type Subscription } from '../event-store/event-store.port.js';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port.js';
import { OrderProcessRunner, type ProcessTrigger } from './order-process-runner.js';
import { orderOfEvent, productOfEvent } from './order-of-event.js';
import { ProductProcessRunner } from './product-process-runner.js';

export const PROCESS_CHECKPOINT = 'process-manager:orders';
const BATCH_ORDERS = 64;
const FLUSH_AFTER_MS = 50;
const ATTEMPTS = 3;

/**
 * The recovery path of the order processes: a subscription to the whole log, from a stored checkpoint,
 * that re-runs the process of every order an event concerns. After a crash it finishes what the inline
 * path left half done; in normal operation it finds nothing to do. The checkpoint only moves past an
 * event once the processes of the orders it concerns have settled.
 */
@Injectable()
export class ProcessRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProcessRecovery');
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  /** Keyed `order:<id>` or `product:<sku>`. */
  private pending = new Map<string, ProcessTrigger>();
  private pendingUpTo: string | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private checkpoint: string | undefined;
  private readonly counters = { events: 0, runs: 0, skipped: 0, failures: 0 };

  constructor(
    private readonly runner: OrderProcessRunner,
    private readonly products: ProductProcessRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.checkpoint = await this.readStore.getCheckpoint(PROCESS_CHECKPOINT);
    this.subscription = this.store.subscribe({ fromPosition: this.checkpoint });
    this.loop = this.follow(this.subscription).catch((error: unknown) => this.logger.error(`recovery stopped: ${String(error)}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
    clearTimeout(this.timer);
    this.flush();
    await this.flushing;
  }

  /** Position up to which every order's process is known to have settled. */
  position(): string | undefined {
    return this.checkpoint;
  }

  stats(): Readonly<{ events: number; runs: number; skipped: number; failures: number; checkpoint: string | null }> {
    return { ...this.counters, checkpoint: this.checkpoint ?? null };
  }

  private async follow(subscription: Subscription): Promise<void> {
    for await (const event of subscription) {
      this.counters.events++;
      const found = orderOfEvent(event);
      // Settled inline with this event already in view: nothing for the recovery path to do.
      const settledInline = found !== undefined && this.runner.hasSettled(found, event.position);
      if (settledInline) this.counters.skipped++;
      const orderId = settledInline ? undefined : found;
      const sku = found === undefined ? productOfEvent(event) : undefined;
      const key = orderId !== undefined ? `order:${orderId}` : sku !== undefined ? `product:${sku}` : undefined;
      if (key !== undefined) {
        const metadata = event.metadata as { correlationId?: string };
        this.pending.set(key, { correlationId: metadata.correlationId ?? event.eventId, causationId: event.eventId, now: '' });
      }
      this.pendingUpTo = event.position;
      if (this.pending.size >= BATCH_ORDERS) {
        this.flush();
        await this.flushing;
      } else {
        this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
      }
    }
  }

  /** Runs the pending orders' processes, then stores the checkpoint; flushes run one after another. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const orders = this.pending;
    const upTo = this.pendingUpTo;
    if (upTo === undefined) return;
    this.pending = new Map();
    this.pendingUpTo = undefined;
    this.flushing = this.flushing.then(async () => {
      for (const [key, trigger] of orders) await this.settle(key, trigger);
      await this.readStore.setCheckpoint(PROCESS_CHECKPOINT, upTo);
      this.checkpoint = upTo;
    }).catch((error: unknown) => {
      // The checkpoint did not move: these events are processed again after a restart (every step is idempotent).
      this.logger.error(`checkpoint not stored: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async settle(key: string, trigger: ProcessTrigger): Promise<void> {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    for (let attempt = 1; ; attempt++) {
      try {
        this.counters.runs++;
        const now = { ...trigger, now: new Date().toISOString() };
        if (kind === 'order') await this.runner.run(id, now);
        else await this.products.run(id, now);
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) {
          // Never silently: counted on /api/metrics and logged with the order; the next event of the order retries it.
          this.counters.failures++;
          this.logger.error(`${key}: process failed ${ATTEMPTS} times: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
      }
    }
  }
}
