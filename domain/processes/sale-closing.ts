import { isNothingLeft, isReadyToClose } from '../order/closing.js';
import { isFinished } from '../order/state.js';
import { orderEntry } from '../stock/state.js';
import { refundTarget } from './sale-refund.js';
import { orderStep, type PlacedOrderStates, type ProcessStep, stockOf } from './step.js';

/**
 * A sale's end, once its stock and money steps are done (nothing held, resellable returns on hand, the refund
 * settled): `CompleteCancellation` when nothing is left of it (every unit cancelled or back, nothing on its way),
 * `CloseOrder` when part of it was cancelled and the rest delivered with nothing pending, or when the returns of
 * a `returning` order are settled and the customer kept something (the rules are closing.ts's).
 */
export function nextSaleClosingStep(states: PlacedOrderStates): ProcessStep | null {
  const { order, payment } = states;
  if (order.kind !== 'sale' || isFinished(order) || order.reservation !== 'complete') return null;
  const stockSettled = order.lines.every((line) => {
    const entry = orderEntry(stockOf(states, line.sku), order.orderId);
    return entry.reserved === 0 && entry.returned === line.returnedResellable && entry.shipped === line.shipped;
  });
  if (!stockSettled || payment.refunded < refundTarget(order, payment)) return null;
  if (isNothingLeft(order)) return orderStep(order, 'cancel', { type: 'CompleteCancellation', orderId: order.orderId });
  if (isReadyToClose(order)) return orderStep(order, 'close', { type: 'CloseOrder', orderId: order.orderId });
  return null;
}
