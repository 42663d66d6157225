import { orderEntry } from '../stock/state.js';
import { refundEverythingPaid } from './refund.js';
import { firstLineStep, orderStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * Sale cancelled before shipment: release every reservation (`StockReleased`), refund everything
 * paid (`RefundIssued`, none when nothing was paid), then `OrderCancelled`. It keeps watching the
 * cancelled order: a payment that raced the approval is refunded too.
 */
export function nextSaleCancellationStep(states: PlacedOrderStates): ProcessStep | null {
  const { order, payment } = states;
  if (order.cancellation?.state !== 'approved' || order.cancellation.outcome !== 'release_and_refund') return null;
  return firstLineStep(order.lines, (line) =>
    orderEntry(stockOf(states, line.sku), order.orderId).reserved > 0
      ? stockStep(order, 'release', { type: 'ReleaseStock', warehouseId: order.warehouseId, sku: line.sku, orderId: order.orderId })
      : null)
    ?? refundEverythingPaid(order, payment)
    ?? (order.status !== 'cancelled' ? orderStep(order, 'cancel', { type: 'CompleteCancellation', orderId: order.orderId }) : null);
}
