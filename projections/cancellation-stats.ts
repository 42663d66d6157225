import { type ViewDoc } from './projected-event.js';
import { type OrderView } from './orders.js';
import { type AggregatedView } from './view-spec.js';

/**
 * Approved cancellations per day of the decision, reason, initiator, order kind and currency:
 * how many, the value cancelled (a sale's total; for a partly received purchase only the
 * remainder) and what was refunded (sale: to the customer; purchase: received back from the supplier).
 */
export interface CancellationStats extends ViewDoc {
  readonly day: string;
  readonly kind: OrderView['kind'];
  readonly initiatedBy: string;
  readonly reason: string;
  readonly currency: string;
  readonly count: number;
  readonly value: number;
  readonly refunded: number;
}

export interface CancellationBucket {
  readonly day: string;
  readonly kind: OrderView['kind'];
  readonly initiatedBy: string;
  readonly reason: string;
  readonly currency: string;
}

// Keeps ids short whatever the reason's length; two reasons sharing a long prefix still differ by the hash.
const MAX_REASON_IN_ID = 120;

export const cancellationStatsView: AggregatedView<OrderView, CancellationStats, CancellationBucket> = {
  kind: 'aggregated',
  name: 'cancellation_stats',
  source: 'orders',
  indexes: [
    { fields: [{ field: 'day', direction: 'desc' }] },
    { fields: [{ field: 'reason', direction: 'asc' }, { field: 'day', direction: 'desc' }] },
    { fields: [{ field: 'initiatedBy', direction: 'asc' }, { field: 'day', direction: 'desc' }] },
  ],
  keyOf(order) {
    const cancellation = order.cancellation;
    if (cancellation?.state !== 'approved' || cancellation.decidedAt === null) return null;
    return {
      day: cancellation.decidedAt.slice(0, 10),
      kind: order.kind,
      initiatedBy: cancellation.initiatedBy,
      reason: cancellation.reason,
      currency: order.currency,
    };
  },
  idOf(bucket) {
    const reason = bucket.reason.length <= MAX_REASON_IN_ID ? bucket.reason : `${bucket.reason.slice(0, MAX_REASON_IN_ID)}~${fnv1a(bucket.reason)}`;
    return [bucket.day, bucket.kind, bucket.initiatedBy, bucket.currency, reason].join('|');
  },
  filterOf(bucket) {
    return {
      'cancellation.decidedAt': { $gte: `${bucket.day}T00:00:00.000Z`, $lte: `${bucket.day}T23:59:59.999Z` },
      'cancellation.state': 'approved',
      'cancellation.reason': bucket.reason,
      'cancellation.initiatedBy': bucket.initiatedBy,
      kind: bucket.kind,
      currency: bucket.currency,
    };
  },
  summarise(bucket, members, position) {
    if (members.length === 0) return null;
    return {
      id: cancellationStatsView.idOf(bucket),
      position,
      ...bucket,
      count: members.length,
      value: members.reduce((sum, order) => sum + cancelledValue(order), 0),
      refunded: members.reduce((sum, order) => sum + order.refunded, 0),
    };
  },
};

/** What the cancellation took off the books: everything, or for a partly received purchase the part not received. */
function cancelledValue(order: OrderView): number {
  if (order.cancellation?.outcome !== 'close_remainder') return order.total;
  return order.lines.reduce((sum, line) => sum + (line.quantity - line.received) * line.unitPrice, 0);
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
