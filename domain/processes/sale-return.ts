import { orderEntry } from '../stock/state.js';
import { firstLineStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * Goods of a sale's returns back in resellable condition go on hand: `ReturnToStock` with the line's cumulative
 * resellable total (`StockReturned` of the difference); damaged units stay out. Customer returns and the shipped
 * part of a cancellation alike; their refund is sale-refund.ts's, the order's end sale-closing.ts's.
 */
export function nextSaleReturnStep(states: PlacedOrderStates): ProcessStep | null {
  const { order } = states;
  if (order.kind !== 'sale') return null;
  return firstLineStep(order.lines, (line) =>
    line.returnedResellable > orderEntry(stockOf(states, line.sku), order.orderId).returned
      ? stockStep(order, `return:${line.returnedResellable}`, {
        type: 'ReturnToStock',
        warehouseId: order.warehouseId,
        sku: line.sku,
        orderId: order.orderId,
        returnedTotal: line.returnedResellable,
      })
      : null);
}
