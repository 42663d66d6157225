import { type ShortLine } from '../order/commands.js';
import { availableQuantity, hasReservation, orderEntry } from '../stock/state.js';
import { firstLineStep, orderStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * Sale placement: reserve every line, then confirm (`OrderReserved`); if any line cannot be
 * reserved, reject the order (`OrderRejected` with the short lines), then release what was reserved.
 *
 * A line is short when its stock position cannot cover it now. If the stock state read was stale,
 * `ReserveStock` is refused with `insufficient_stock`: the runner reloads and asks again, and this
 * function then sees the shortage and rejects.
 */
export function nextSalePlacementStep(states: PlacedOrderStates): ProcessStep | null {
  const { order } = states;
  if (order.kind !== 'sale') return null;
  const entryOf = (sku: string) => orderEntry(stockOf(states, sku), order.orderId);

  if (order.reservation === 'pending') {
    const unreserved = order.lines.filter((line) => !hasReservation(entryOf(line.sku)));
    const shortLines: ShortLine[] = unreserved
      .map((line) => ({ sku: line.sku, requested: line.quantity, available: Math.max(0, availableQuantity(stockOf(states, line.sku))) }))
      .filter((line) => line.available < line.requested);
    if (shortLines.length > 0) return orderStep(order, 'reject', { type: 'RejectOrder', orderId: order.orderId, shortLines });
    const next = unreserved[0];
    if (next !== undefined) {
      return stockStep(order, 'reserve', {
        type: 'ReserveStock',
        warehouseId: order.warehouseId,
        sku: next.sku,
        orderId: order.orderId,
        quantity: next.quantity,
      });
    }
    return orderStep(order, 'confirm-reservation', { type: 'ConfirmReservation', orderId: order.orderId });
  }

  if (order.reservation === 'failed') {
    return firstLineStep(order.lines, (line) =>
      entryOf(line.sku).reserved > 0
        ? stockStep(order, 'release', { type: 'ReleaseStock', warehouseId: order.warehouseId, sku: line.sku, orderId: order.orderId })
        : null);
  }
  return null;
}
