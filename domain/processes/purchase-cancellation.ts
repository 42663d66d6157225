import { receivedValue } from '../order/state.js';
import { incomingOf, orderEntry } from '../stock/state.js';
import { nextSupplierRefundDueStep } from './purchase-return.js';
import { firstLineStep, orderStep, paymentStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * Purchase cancelled. The goods received stay and are owed to the supplier; the remainder is cancelled:
 * incoming units no longer expected (`StockExpectationCancelled`), committed funds released down to the
 * value received (`FundsReleased`: everything when nothing arrived), deposits beyond the value received
 * owed back by the supplier together with any goods sent back (`SupplierRefundDue`, purchase-return.ts), the
 * agreed penalty (`PenaltyRecorded`), and then `OrderCancelled` (nothing received) or `OrderClosed` (partly received).
 */
export function nextPurchaseCancellationStep(states: PlacedOrderStates): ProcessStep | null {
  const { order, payment } = states;
  const cancellation = order.cancellation;
  if (cancellation?.state !== 'approved' || (cancellation.outcome !== 'cancel_purchase' && cancellation.outcome !== 'close_remainder')) return null;
  const keptValue = receivedValue(order);
  const releasedTarget = Math.max(0, payment.committed - keptValue);
  const { orderId, currency } = order;
  return firstLineStep(order.lines, (line) =>
    incomingOf(orderEntry(stockOf(states, line.sku), orderId)) > 0
      ? stockStep(order, 'cancel-expected', { type: 'CancelExpectedStock', warehouseId: order.warehouseId, sku: line.sku, orderId })
      : null)
    ?? (payment.fundsReleased < releasedTarget
      ? paymentStep(order, `release-funds:${releasedTarget}`, { type: 'ReleaseFunds', orderId, releasedTotal: releasedTarget, currency })
      : null)
    ?? nextSupplierRefundDueStep(states)
    ?? (cancellation.penalty !== null && payment.penalty === null
      ? paymentStep(order, 'penalty', { type: 'RecordPenalty', orderId, amount: cancellation.penalty.amount, payer: cancellation.penalty.payer, currency })
      : null)
    ?? finishStep(states);
}

function finishStep({ order }: PlacedOrderStates): ProcessStep | null {
  if (order.cancellation?.outcome === 'cancel_purchase') {
    return order.status !== 'cancelled' ? orderStep(order, 'cancel', { type: 'CompleteCancellation', orderId: order.orderId }) : null;
  }
  return order.status !== 'closed' ? orderStep(order, 'close', { type: 'CloseOrder', orderId: order.orderId }) : null;
}
