import { orderTotal } from '../order/state.js';
import { orderEntry } from '../stock/state.js';
import { firstLineStep, paymentStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * Purchase placement: announce the incoming goods (`ExpectStock` per line: `StockExpected`), then
 * freeze the order total (`CommitFunds`: `FundsCommitted`). There is no confirmation event: the
 * placement is complete when both are recorded, which this function reads from the stock and payment.
 */
export function nextPurchasePlacementStep(states: PlacedOrderStates): ProcessStep | null {
  const { order, payment } = states;
  if (order.kind !== 'purchase') return null;
  return firstLineStep(order.lines, (line) =>
    orderEntry(stockOf(states, line.sku), order.orderId).expected === 0
      ? stockStep(order, 'expect', { type: 'ExpectStock', warehouseId: order.warehouseId, sku: line.sku, orderId: order.orderId, quantity: line.quantity })
      : null)
    ?? (payment.committed === 0
      ? paymentStep(order, 'commit-funds', { type: 'CommitFunds', orderId: order.orderId, amount: orderTotal(order), currency: order.currency })
      : null);
}

/** Goods received on the order (`GoodsReceived`) go on hand: `ReceivePurchaseStock` with the cumulative total, at the line's unit price. */
export function nextPurchaseReceiptStep(states: PlacedOrderStates): ProcessStep | null {
  const { order } = states;
  if (order.kind !== 'purchase') return null;
  return firstLineStep(order.lines, (line) =>
    line.received > orderEntry(stockOf(states, line.sku), order.orderId).received
      ? stockStep(order, `receive:${line.received}`, {
        type: 'ReceivePurchaseStock',
        warehouseId: order.warehouseId,
        sku: line.sku,
        orderId: order.orderId,
        receivedTotal: line.received,
        // Received goods cost what the purchase line says (in the order's currency, valued as is: no FX).
        unitCost: line.unitPrice,
      })
      : null);
}
