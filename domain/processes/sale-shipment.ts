import { hasShipped } from '../order/state.js';
import { orderEntry } from '../stock/state.js';
import { firstLineStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/** A shipped sale order takes its reservations out of stock: `ShipStock` per line (`StockShipped`). */
export function nextSaleShipmentStep(states: PlacedOrderStates): ProcessStep | null {
  const { order } = states;
  if (!hasShipped(order)) return null;
  return firstLineStep(order.lines, (line) => {
    const entry = orderEntry(stockOf(states, line.sku), order.orderId);
    if (entry.shipped > 0 || entry.reserved === 0) return null;
    return stockStep(order, 'ship', { type: 'ShipStock', warehouseId: order.warehouseId, sku: line.sku, orderId: order.orderId });
  });
}
