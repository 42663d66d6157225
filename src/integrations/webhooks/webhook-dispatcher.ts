import { Inject, Injectable, Logger, Optional } from '@nestjs/common';

import { MetricsRegistry } from '../../platform/metrics/metrics-registry.js';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { PersonalDataVault } from '../../platform/personal-data/personal-data-vault.js';
import { READ_STORE, type ReadStore } from '../../platform/read-store/read-store.port.js';
import { registerWebhookMetrics } from './webhook-metrics.js';
import { type AttemptResult, postEvent } from './webhook-sender.js';
import { WebhookRegistry } from './webhook-registry.js';
import { retryDelayMs, WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';
import { DELIVERIES_VIEW, type DeliveryDocument } from './webhook-views.js';

/** A pending delivery as the dispatcher holds it (its document is in `webhook_deliveries`). */
export interface QueuedDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  attempts: number;
  failingSince: number | null;
  nextAttemptAt: number;
}

/**
 * Sends pending deliveries, on its own loop beside the command path: at most `concurrency` requests at once
 * (`concurrencyPerWebhook` per webhook), so a slow or dead receiver holds a few sockets and never a command.
 * Deliveries of one webhook and one stream wait in a queue, in log order: the next is sent once the one before
 * it is delivered or dead. A failed attempt is retried with capped exponential backoff and jitter; a delivery
 * still failing `retryWindowMs` after its first failure is dead (and its stream's next delivery goes on).
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('Webhooks');
  private readonly queues = new Map<string, QueuedDelivery[]>();
  private readonly queued = new Set<string>();
  private readonly sending = new Set<string>();
  private readonly perWebhook = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopController = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly outcomes = { delivered: 0, failed: 0, dead: 0 };

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    private readonly registry: WebhookRegistry,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    @Optional() metrics?: MetricsRegistry,
  ) {
    if (metrics) registerWebhookMetrics(metrics, () => ({ queued: this.queued.size, ...this.outcomes }));
  }

  /** Every pending delivery of the view, in log order (on start). */
  async loadPending(): Promise<void> {
    await this.readStore.ensureView(DELIVERIES_VIEW);
    const pending = this.readStore.scan<DeliveryDocument>(DELIVERIES_VIEW.name, { filter: { status: 'pending' }, sort: [{ field: 'logOrder', direction: 'asc' }] });
    for await (const document of pending) this.enqueue(queuedOf(document));
  }

  isQueued(id: string): boolean {
    return this.queued.has(id);
  }

  /** Adds a pending delivery to its (webhook, stream) queue, in log order; one already queued is made due now. */
  enqueue(delivery: QueuedDelivery): void {
    if (this.stopController.signal.aborted) return;
    const key = `${delivery.webhookId}\n${delivery.streamId}`;
    const queue = this.queues.get(key) ?? [];
    const existing = queue.find((item) => item.id === delivery.id);
    if (existing) {
      existing.nextAttemptAt = Math.min(existing.nextAttemptAt, delivery.nextAttemptAt);
    } else {
      let at = queue.length;
      while (at > 0 && this.store.comparePositions(queue[at - 1].position, delivery.position) > 0) at--;
      queue.splice(at, 0, delivery);
      this.queues.set(key, queue);
      this.queued.add(delivery.id);
    }
    this.pump();
  }

  /** Stops sending: requests in flight are abandoned (their deliveries stay pending), nothing more is written. */
  async stop(): Promise<void> {
    this.stopController.abort();
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Starts every due queue head the limits allow, and sets the timer for the next one due. */
  private pump(): void {
    if (this.stopController.signal.aborted) return;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [key, queue] of this.queues) {
      if (this.sending.size >= this.settings.concurrency) break;
      if (this.sending.has(key)) continue;
      const head = queue[0];
      const hook = this.registry.get(head.webhookId);
      if (hook === undefined || hook.deleted) {
        this.drop(key, queue);
        continue;
      }
      if (head.nextAttemptAt > now) {
        next = Math.min(next, head.nextAttemptAt);
        continue;
      }
      if ((this.perWebhook.get(head.webhookId) ?? 0) >= this.settings.concurrencyPerWebhook) continue;
      this.start(key, head);
    }
    this.wakeAt(next);
  }

  private drop(key: string, queue: QueuedDelivery[]): void {
    for (const item of queue) this.queued.delete(item.id);
    this.queues.delete(key);
  }

  private wakeAt(at: number): void {
    if (at === Number.POSITIVE_INFINITY || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(0, at - Date.now()));
  }

  private start(key: string, delivery: QueuedDelivery): void {
    this.sending.add(key);
    this.perWebhook.set(delivery.webhookId, (this.perWebhook.get(delivery.webhookId) ?? 0) + 1);
    const run = this.attempt(key, delivery)
      .catch((error: unknown) => {
        if (!this.stopController.signal.aborted) this.logger.error(`delivery ${delivery.id} failed to run: ${error instanceof Error ? error.message : String(error)}`);
        // Tried again after the usual wait.
        delivery.nextAttemptAt = Date.now() + retryDelayMs(this.settings, Math.max(delivery.attempts, 1));
      })
      .finally(() => {
        this.sending.delete(key);
        this.perWebhook.set(delivery.webhookId, (this.perWebhook.get(delivery.webhookId) ?? 1) - 1);
        this.inFlight.delete(run);
        this.pump();
      });
    this.inFlight.add(run);
  }

  private async attempt(key: string, delivery: QueuedDelivery): Promise<void> {
    const hook = this.registry.get(delivery.webhookId);
    if (hook === undefined) return;
    const event = await this.eventOf(delivery);
    const result: AttemptResult = event
      ? await postEvent(hook.registration, event, this.vault, this.settings.timeoutMs, this.stopController.signal)
      : { ok: false, status: null, error: 'the event is not in the log' };
    if (this.stopController.signal.aborted) return;
    await this.record(key, delivery, result, event === undefined);
  }

  private async eventOf(delivery: QueuedDelivery): Promise<RecordedEvent | undefined> {
    for await (const event of this.store.readStream(delivery.streamId, { fromRevision: BigInt(delivery.revision), maxCount: 1 })) {
      if (event.eventId === delivery.eventId) return event;
    }
    return undefined;
  }

  /** Writes the attempt's outcome; a delivered or dead delivery leaves its queue, letting the next one go. */
  private async record(key: string, delivery: QueuedDelivery, result: AttemptResult, hopeless: boolean): Promise<void> {
    const now = Date.now();
    delivery.attempts++;
    let set: Partial<DeliveryDocument>;
    if (result.ok) {
      set = { status: 'delivered', attempts: delivery.attempts, lastStatus: result.status, lastError: null, nextAttemptAt: null, deliveredAt: new Date(now).toISOString(), failingSince: null };
    } else {
      delivery.failingSince ??= now;
      const dead = hopeless || now - delivery.failingSince >= this.settings.retryWindowMs;
      delivery.nextAttemptAt = now + retryDelayMs(this.settings, delivery.attempts);
      set = {
        status: dead ? 'dead' : 'pending',
        attempts: delivery.attempts,
        lastStatus: result.status,
        lastError: result.error,
        nextAttemptAt: dead ? null : new Date(delivery.nextAttemptAt).toISOString(),
        failingSince: new Date(delivery.failingSince).toISOString(),
      };
      if (dead) this.logger.warn(`delivery of ${delivery.eventId} to webhook ${delivery.webhookId} is dead after ${delivery.attempts} attempts: ${result.error}`);
    }
    this.outcomes[set.status === 'pending' ? 'failed' : set.status!]++;
    await this.readStore.writeBatch(DELIVERIES_VIEW.name, [{ type: 'patch', id: delivery.id, position: delivery.position, set }]);
    if (set.status !== 'pending') this.leave(key, delivery);
  }

  private leave(key: string, delivery: QueuedDelivery): void {
    const queue = this.queues.get(key);
    this.queued.delete(delivery.id);
    if (!queue) return;
    const at = queue.indexOf(delivery);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.queues.delete(key);
  }
}

export function queuedOf(document: DeliveryDocument): QueuedDelivery {
  return {
    id: document.id,
    webhookId: document.webhookId,
    eventId: document.eventId,
    streamId: document.streamId,
    revision: document.revision,
    position: document.position,
    attempts: document.attempts,
    failingSince: document.failingSince === null ? null : Date.parse(document.failingSince),
    nextAttemptAt: document.nextAttemptAt === null ? Date.now() : Date.parse(document.nextAttemptAt),
  };
}
