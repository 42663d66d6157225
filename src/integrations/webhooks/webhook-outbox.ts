import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';

import { streamCategory } from '../../../domain/shared/streams.js';
import { ResubscribingFollower } from '../../orders/processes/recovery-subscription.js';
import { Leadership } from '../../platform/cluster/leadership.js';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { READ_STORE, type ReadStore } from '../../platform/read-store/read-store.port.js';
import { isBusinessEvent } from '../feed/feed-item.js';
import { WEBHOOK_STREAM_CATEGORY } from './webhook.aggregate.js';
import { queuedOf, WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookRegistry } from './webhook-registry.js';
import { DELIVERIES_VIEW, deliveryId, type DeliveryDocument, logOrderOf } from './webhook-views.js';

const OUTBOX_CHECKPOINT = 'webhooks:outbox';
const CHECKPOINT_EVERY_MS = 1000;

/**
 * The webhook outbox: a checkpointed subscription to the whole log. For each business event it records one
 * pending delivery per matching webhook (`webhook_deliveries`), then hands it to the dispatcher; webhook
 * registrations and deletions it meets update the registry. The checkpoint is stored after the deliveries it
 * covers (every second and on stop), so a crash at any point re-reads events whose deliveries may be missing:
 * a delivery already recorded is not recorded again (at-least-once, never lost).
 */
@Injectable()
export class WebhookOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookOutbox');
  private readonly follower: ResubscribingFollower;
  private loop: Promise<void> | undefined;
  /** Every event up to here has its deliveries recorded. */
  private accepted: string | undefined;
  private stored: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly registry: WebhookRegistry,
    private readonly dispatcher: WebhookDispatcher,
    @Optional() private readonly leadership?: Leadership,
  ) {
    this.follower = new ResubscribingFollower(store, this.logger, { load: () => this.load(), from: () => this.accepted, accept: (event) => this.accept(event) });
  }

  onApplicationBootstrap(): void {
    // With several processes (JXC_WORKERS > 1) only the lease holder records and sends deliveries; it also picks up
    // every second the deliveries another process made pending again (a re-send), since it alone sends them.
    const clustered = this.leadership !== undefined && this.leadership.status().workers > 1;
    const start = () => {
      if (this.stopping || this.loop) return;
      this.loop = this.follower.run();
      this.timer = setInterval(() => void this.storeCheckpoint().then(() => (clustered && this.stored !== undefined ? this.dispatcher.loadPending() : undefined)), CHECKPOINT_EVERY_MS);
    };
    if (this.leadership) this.leadership.whenLeading(start);
    else start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.follower.stop();
    await this.loop;
    await this.dispatcher.stop();
    await this.storeCheckpoint();
  }

  /**
   * The checkpoint, then the webhooks and the pending deliveries. With no checkpoint yet (the first start) the
   * outbox reads the log from its beginning: the service answers requests before this load has run, so a webhook
   * may already be registered with events after it (starting at the head skipped those: they were never queued).
   * `matching` keeps each webhook to the events after its registration, so older events queue nothing; the cost
   * is one read of a log that predates webhooks, once.
   */
  private async load(): Promise<void> {
    await this.readStore.ensureView(DELIVERIES_VIEW);
    const checkpoint = await this.readStore.getCheckpoint(OUTBOX_CHECKPOINT);
    this.accepted = checkpoint;
    this.stored = checkpoint;
    await this.registry.load();
    await this.dispatcher.loadPending();
  }

  private async accept(event: RecordedEvent): Promise<void> {
    if (streamCategory(event.streamId) === WEBHOOK_STREAM_CATEGORY) await this.registry.apply(event);
    else if (isBusinessEvent(event)) await this.recordDeliveries(event);
    this.accepted = event.position;
  }

  private async recordDeliveries(event: RecordedEvent): Promise<void> {
    const hooks = this.registry.matching(event);
    if (hooks.length === 0) return;
    const ids = hooks.map((hook) => deliveryId(hook.registration.webhookId, event.eventId));
    const existing = await this.readStore.getMany<DeliveryDocument>(DELIVERIES_VIEW.name, ids);
    const now = new Date().toISOString();
    const created: DeliveryDocument[] = hooks
      .filter((hook) => !existing.has(deliveryId(hook.registration.webhookId, event.eventId)))
      .map((hook) => ({
        id: deliveryId(hook.registration.webhookId, event.eventId),
        position: event.position,
        webhookId: hook.registration.webhookId,
        eventId: event.eventId,
        type: event.type,
        streamId: event.streamId,
        revision: Number(event.revision),
        status: 'pending',
        attempts: 0,
        lastStatus: null,
        lastError: null,
        nextAttemptAt: now,
        deliveredAt: null,
        logOrder: logOrderOf(event.position),
        createdAt: now,
        failingSince: null,
      }));
    if (created.length > 0) await this.readStore.writeBatch(DELIVERIES_VIEW.name, created.map((document) => ({ type: 'upsert', document })));
    for (const document of [...existing.values(), ...created]) {
      if (document.status === 'pending' && !this.dispatcher.isQueued(document.id)) this.dispatcher.enqueue(queuedOf(document));
    }
  }

  private async storeCheckpoint(): Promise<void> {
    const position = this.accepted;
    if (position === undefined || position === this.stored) return;
    try {
      await this.readStore.setCheckpoint(OUTBOX_CHECKPOINT, position);
      this.stored = position;
    } catch (error) {
      this.logger.warn(`could not store the outbox checkpoint (${error instanceof Error ? error.message : String(error)}); again in ${CHECKPOINT_EVERY_MS} ms`);
    }
  }
}
