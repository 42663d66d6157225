import { type BusinessEvent, businessEventOf, orderIdOf } from './business-events.js';
import { accessRecordOf, summariseAccess } from './audit-access.js';
import { summarise } from './audit-summary.js';
import { type EventActor, type ProjectedEvent, type ViewDoc } from './projected-event.js';
import { type FoldedView } from './view-spec.js';

/** One entry per business event: who did what, when, why, in which command; `id` is the event's position. */
export interface AuditEntry extends ViewDoc {
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly occurredAt: string | null;
  readonly actor: EventActor | null;
  /**
   * The reason the event itself gives, else absent: a cancellation request or rejection, a return requested or
   * closed, a hold placed (or the note of its release), an amendment, a purchase return, a stock count.
   */
  readonly reason?: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly commandId: string | null;
  /** The order the event concerns: its own stream, its payment, or a stock movement made for it. */
  readonly orderId: string | null;
  readonly summary: string;
  readonly data: unknown;
  /** True on an access record (an API key issued or revoked): shown to admin and auditor only. */
  readonly restricted?: boolean;
}

export const auditTrailView: FoldedView<AuditEntry> = {
  kind: 'folded',
  name: 'audit_trail',
  oneEventPerDocument: true,
  indexes: [
    { fields: [{ field: 'occurredAt', direction: 'desc' }] },
    { fields: [{ field: 'streamId', direction: 'asc' }, { field: 'occurredAt', direction: 'desc' }] },
    { fields: [{ field: 'actor.id', direction: 'asc' }, { field: 'occurredAt', direction: 'desc' }] },
    { fields: [{ field: 'type', direction: 'asc' }, { field: 'occurredAt', direction: 'desc' }] },
    { fields: [{ field: 'orderId', direction: 'asc' }, { field: 'occurredAt', direction: 'desc' }] },
  ],
  documentIds(event) {
    return businessEventOf(event) === null && accessRecordOf(event) === null ? [] : [event.position];
  },
  apply(doc, event) {
    // An entry never changes: a re-delivered event finds it written.
    if (doc !== null) return doc;
    const business = businessEventOf(event);
    if (business === null) return accessEntry(event);
    const actor = actorOf(event);
    const reason = reasonOf(business);
    return {
      ...common(event, actor),
      ...(reason === undefined ? {} : { reason }),
      orderId: orderIdOf(event),
      summary: summarise(business, actor?.id ?? null),
      data: event.data,
    };
  },
};

const actorOf = ({ metadata }: ProjectedEvent): EventActor | null => (metadata.actor ? { id: metadata.actor.id, roles: [...metadata.actor.roles] } : null);

function common(event: ProjectedEvent, actor: EventActor | null) {
  const { metadata } = event;
  return {
    id: event.position,
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    occurredAt: metadata.occurredAt ?? null,
    actor,
    correlationId: metadata.correlationId ?? null,
    causationId: metadata.causationId ?? null,
    commandId: metadata.commandId ?? null,
  };
}

/** An API key issued or revoked: its entry carries the key's id, user, roles and expiry, never its hash. */
function accessEntry(event: ProjectedEvent): AuditEntry | null {
  const record = accessRecordOf(event);
  if (record === null) return null;
  const actor = actorOf(event);
  return { ...common(event, actor), orderId: null, summary: summariseAccess(record, actor?.id ?? null), data: record.data, restricted: true };
}

function reasonOf(business: BusinessEvent): string | undefined {
  const { event } = business;
  switch (event.type) {
    case 'CancellationRequested':
    case 'CancellationRejected':
    case 'ReturnRequested':
    case 'ReturnsClosed':
    case 'OrderHeld':
    case 'AmendmentRequested':
    case 'OrderAmended':
    case 'PurchaseReturnRequested':
    case 'StockAdjusted':
      return event.data.reason;
    case 'HoldReleased':
      return event.data.note ?? undefined;
    default:
      return undefined;
  }
}
