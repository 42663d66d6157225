import { isEverythingReturned } from '../order/state.js';
import { orderEntry } from '../stock/state.js';
import { refundEverythingPaid } from './refund.js';
import { firstLineStep, orderStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * Sale cancelled after shipment (status `returning`): each `ReturnReceived` puts the resellable
 * units back on hand (`ReturnToStock` with the cumulative resellable total: `StockReturned`; damaged
 * units stay out); once every shipped unit is back, refund everything paid, then `OrderCancelled`.
 */
export function nextSaleReturnStep(states: PlacedOrderStates): ProcessStep | null {
  const { order, payment } = states;
  if (order.cancellation?.state !== 'approved' || order.cancellation.outcome !== 'return_and_refund') return null;
  const restock = firstLineStep(order.lines, (line) =>
    line.returnedResellable > orderEntry(stockOf(states, line.sku), order.orderId).returned
      ? stockStep(order, `return:${line.returnedResellable}`, {
        type: 'ReturnToStock',
        warehouseId: order.warehouseId,
        sku: line.sku,
        orderId: order.orderId,
        returnedTotal: line.returnedResellable,
      })
      : null);
  if (restock !== null || !isEverythingReturned(order)) return restock;
  return refundEverythingPaid(order, payment)
    ?? (order.status !== 'cancelled' ? orderStep(order, 'cancel', { type: 'CompleteCancellation', orderId: order.orderId }) : null);
}
