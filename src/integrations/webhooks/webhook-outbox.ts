import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { streamCategory } from '../../../domain/shared/streams.js';
import { ResubscribingFollower } from '../../orders/processes/recovery-subscription.js';
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

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly registry: WebhookRegistry,
    private readonly dispatcher: WebhookDispatcher,
  ) {
    this.follower = new ResubscribingFollower(store, this.logger, { load: () => this.load(), from: () => this.accepted, accept: (event) => this.accept(event) });
  }

  onApplicationBootstrap(): void {
    this.loop = this.follower.run();
    this.timer = setInterval(() => void this.storeCheckpoint(), CHECKPOINT_EVERY_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.follower.stop();
    await this.loop;
    await this.dispatcher.stop();
    await this.storeCheckpoint();
  }

  /**
   * The checkpoint (on the very first start: the head of the log, since no webhook can precede this code), then
   * the webhooks and the pending deliveries.
   */
  private async load(): Promise<void> {
    await this.readStore.ensureView(DELIVERIES_VIEW);
    let checkpoint = await this.readStore.getCheckpoint(OUTBOX_CHECKPOINT);
    if (checkpoint === undefined) {
      checkpoint = await this.store.headPosition();
      if (checkpoint !== undefined) await this.readStore.setCheckpoint(OUTBOX_CHECKPOINT, checkpoint);
    }
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
