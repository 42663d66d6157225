import { type CancellationScope } from '../domain/order/events.js';
import { type ViewDoc } from './projected-event.js';
import { type OrderView } from './orders.js';
import { type AggregatedView } from './view-spec.js';

/**
 * Approved cancellations per day of the decision, reason, initiator, order kind, currency and scope (`whole`,
 * `lines`, `remainder`): how many, the value cancelled (sale: the units it cancelled and those it sent back
 * through a return, at the order's line prices; purchase: the total, or for a partly received purchase only
 * the remainder) and what was refunded (sale: to the customer; purchase: received back from the supplier).
 * An order counts for its latest approved cancellation (the orders view keeps the latest request).
 */
export interface CancellationStats extends ViewDoc {
  readonly day: string;
  readonly kind: OrderView['kind'];
  readonly initiatedBy: string;
  readonly reason: string;
  readonly currency: string;
  readonly scope: CancellationScope;
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
  readonly scope: CancellationScope;
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
    { fields: [{ field: 'scope', direction: 'asc' }, { field: 'day', direction: 'desc' }] },
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
      scope: cancellation.scope,
    };
  },
  idOf(bucket) {
    const reason = bucket.reason.length <= MAX_REASON_IN_ID ? bucket.reason : `${bucket.reason.slice(0, MAX_REASON_IN_ID)}~${fnv1a(bucket.reason)}`;
    // A whole-order bucket keeps the id it had before cancellations had a scope.
    const parts = bucket.scope === 'whole' ? [bucket.day, bucket.kind, bucket.initiatedBy, bucket.currency, reason] : [bucket.day, bucket.kind, bucket.initiatedBy, bucket.currency, bucket.scope, reason];
    return parts.join('|');
  },
  filterOf(bucket) {
    return {
      'cancellation.decidedAt': { $gte: `${bucket.day}T00:00:00.000Z`, $lte: `${bucket.day}T23:59:59.999Z` },
      'cancellation.state': 'approved',
      'cancellation.reason': bucket.reason,
      'cancellation.initiatedBy': bucket.initiatedBy,
      'cancellation.scope': bucket.scope,
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

/**
 * What the cancellation took off the books. Sale: its cancelled (unshipped) units and the shipped units it sent
 * back through a return, at the order's line prices. Purchase: everything, or for a partly received one the part
 * not received.
 */
function cancelledValue(order: OrderView): number {
  const cancellation = order.cancellation;
  if (order.kind === 'sale' && cancellation !== null) {
    const priceOf = (sku: string): number => order.lines.find((line) => line.sku === sku)?.unitPrice ?? 0;
    return [...cancellation.cancelledLines, ...cancellation.returnLines].reduce((sum, line) => sum + line.quantity * priceOf(line.sku), 0);
  }
  if (cancellation?.outcome !== 'close_remainder') return order.total;
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
