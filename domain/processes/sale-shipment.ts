import { orderEntry } from '../stock/state.js';
import { firstLineStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * Each shipment takes its units out of the order's reservation: `ShipStock` with the line's cumulative shipped
 * total (`StockShipped` of the difference), so a repeat, or an older and smaller total, ships nothing more.
 */
export function nextSaleShipmentStep(states: PlacedOrderStates): ProcessStep | null {
  const { order } = states;
  if (order.kind !== 'sale') return null;
  return firstLineStep(order.lines, (line) =>
    line.shipped > orderEntry(stockOf(states, line.sku), order.orderId).shipped
      ? stockStep(order, `ship:${line.shipped}`, {
        type: 'ShipStock',
        warehouseId: order.warehouseId,
        sku: line.sku,
        orderId: order.orderId,
        shippedTotal: line.shipped,
      })
      : null);
}
