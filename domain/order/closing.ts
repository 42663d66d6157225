import { type Context } from '../shared/context.js';
import { type CloseOrder, type CompleteCancellation } from './commands.js';
import { type OrderEvent } from './events.js';
import { type DecisionTable, fact, onExisting, refuse, requireNotFinished } from './guards.js';
import { type Order, pendingAmendment, returnedQuantity, unshippedQuantity } from './state.js';

/**
 * Closing: the processes end an order. A sale ends `cancelled` when nothing is left of it (every unit cancelled
 * or returned, nothing on its way back), `closed` when part of it was cancelled and the rest is delivered with
 * nothing pending, or when the returns of a `returning` order are settled and the customer kept something.
 * A purchase ends as its approved cancellation says (cancel_purchase: cancelled; close_remainder: closed).
 */

/** Sale: every unit is cancelled or back, and no return waits for more. */
export function isNothingLeft(order: Order): boolean {
  return order.lines.every((line) => line.quantity - line.cancelled - returnedQuantity(line) === 0 && line.returnPending === 0);
}

/** Sale: the order can end `closed` (see the file's comment). */
export function isReadyToClose(order: Order): boolean {
  if (order.kind !== 'sale' || isNothingLeft(order) || order.lines.some((line) => line.returnPending > 0)) return false;
  if (order.status === 'returning') return true;
  const settled = order.cancellation?.state !== 'requested' && pendingAmendment(order) === null;
  const cancelledSome = order.lines.some((line) => line.cancelled > 0);
  const restDelivered = order.lines.every((line) => unshippedQuantity(line) === 0 && line.delivered === line.shipped);
  return settled && cancelledSome && restDelivered;
}

function completeCancellation(_command: CompleteCancellation, order: Order, context: Context): OrderEvent[] {
  if (order.status === 'cancelled') return [];
  requireNotFinished(order);
  if (order.kind === 'sale' && !isNothingLeft(order)) refuse(order, 'something of this order is neither cancelled nor back');
  if (order.kind === 'purchase' && (order.cancellation?.state !== 'approved' || order.cancellation.outcome !== 'cancel_purchase')) {
    refuse(order, 'only a purchase order whose cancellation was approved before any receipt is cancelled');
  }
  return [{ type: 'OrderCancelled', data: fact(order, context) }];
}

function closeOrder(_command: CloseOrder, order: Order, context: Context): OrderEvent[] {
  if (order.status === 'closed') return [];
  requireNotFinished(order);
  if (order.kind === 'sale' && !isReadyToClose(order)) {
    refuse(order, 'a sale is closed only when part of it was cancelled or returned and the rest is delivered with nothing pending');
  }
  if (order.kind === 'purchase' && (order.cancellation?.state !== 'approved' || order.cancellation.outcome !== 'close_remainder')) {
    refuse(order, 'only a partly received purchase order with an approved cancellation is closed');
  }
  return [{ type: 'OrderClosed', data: fact(order, context) }];
}

/** The commands this workflow decides. */
export const closing: DecisionTable<'CompleteCancellation' | 'CloseOrder'> = {
  CompleteCancellation: onExisting(completeCancellation),
  CloseOrder: onExisting(closeOrder),
};
