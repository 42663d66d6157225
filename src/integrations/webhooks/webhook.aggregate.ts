import { DomainError } from '../../../domain/shared/domain-error.js';
import { type AggregateType } from '../../platform/write-model/aggregate-type.js';

// Webhooks are integration infrastructure, not business: their small decider lives beside the outbox.

/** One stream per webhook: `webhook-<webhookId>` (an internal record: never in the feed). */
export const webhookStream = (webhookId: string): string => `webhook-${webhookId}`;
export const WEBHOOK_STREAM_CATEGORY = 'webhook';

export interface WebhookRegistration {
  readonly webhookId: string;
  readonly url: string;
  /** Event types it receives; `*` stands for every business event. */
  readonly types: readonly string[];
  /** The HMAC key. Kept in the log (it must sign every delivery), never answered by the API. */
  readonly secret: string;
  readonly registeredAt: string;
}

export type WebhookEvent = { type: 'WebhookRegistered'; data: WebhookRegistration } | { type: 'WebhookDeleted'; data: { webhookId: string; deletedAt: string } };

export type WebhookCommand = { type: 'RegisterWebhook'; webhookId: string; url: string; types: readonly string[]; secret: string } | { type: 'DeleteWebhook'; webhookId: string };

export interface WebhookState {
  readonly registration: WebhookRegistration | null;
  readonly deleted: boolean;
}

export const webhookAggregate: AggregateType<WebhookState, WebhookCommand, WebhookEvent> = {
  name: 'webhook',
  initialState: { registration: null, deleted: false },
  decide(command, state, context) {
    if (command.type === 'RegisterWebhook') {
      if (state.registration !== null) throw new DomainError('already_exists', `webhook ${command.webhookId} exists`, { webhookId: command.webhookId });
      const { webhookId, url, types, secret } = command;
      return [{ type: 'WebhookRegistered', data: { webhookId, url, types: [...types], secret, registeredAt: context.now } }];
    }
    if (state.registration === null) throw new DomainError('not_found', `no webhook ${command.webhookId}`, { webhookId: command.webhookId });
    // Deleting twice changes nothing.
    if (state.deleted) return [];
    return [{ type: 'WebhookDeleted', data: { webhookId: command.webhookId, deletedAt: context.now } }];
  },
  evolve(state, event) {
    return event.type === 'WebhookRegistered' ? { registration: event.data, deleted: false } : { ...state, deleted: true };
  },
  upcast: (type, _version, data) => ({ type, data }) as WebhookEvent,
  schemaVersion: () => 1,
};
