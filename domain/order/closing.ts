import { type Context } from '../shared/context.js';
import { type CloseOrder, type CompleteCancellation } from './commands.js';
import { type OrderEvent } from './events.js';
import { type DecisionTable, fact, onExisting, refuse, requireNotFinished } from './guards.js';
import { isEverythingReturned, type Order } from './state.js';

/** Closing: the processes end an approved cancellation, as cancelled (nothing left to come back) or closed (purchase remainder). */

function completeCancellation(_command: CompleteCancellation, order: Order, context: Context): OrderEvent[] {
  if (order.status === 'cancelled') return [];
  requireNotFinished(order);
  const outcome = order.cancellation?.state === 'approved' ? order.cancellation.outcome : null;
  if (outcome === null || outcome === 'close_remainder') refuse(order, 'no approved cancellation ends in cancelling this order');
  if (outcome === 'return_and_refund' && !isEverythingReturned(order)) refuse(order, 'shipped goods are still to come back');
  return [{ type: 'OrderCancelled', data: fact(order, context) }];
}

function closeOrder(_command: CloseOrder, order: Order, context: Context): OrderEvent[] {
  if (order.status === 'closed') return [];
  requireNotFinished(order);
  if (order.cancellation?.state !== 'approved' || order.cancellation.outcome !== 'close_remainder') {
    refuse(order, 'only a partly received purchase order with an approved cancellation is closed');
  }
  return [{ type: 'OrderClosed', data: fact(order, context) }];
}

/** The commands this workflow decides. */
export const closing: DecisionTable<'CompleteCancellation' | 'CloseOrder'> = {
  CompleteCancellation: onExisting(completeCancellation),
  CloseOrder: onExisting(closeOrder),
};
