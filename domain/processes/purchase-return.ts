import { type SkuQuantityInput, type ShortLine } from '../order/commands.js';
import { lineOf, type Order, type PurchaseReturn, receivedValue, returnedToSupplierValue } from '../order/state.js';
import { type Payment } from '../payment/state.js';
import { availableQuantity, orderEntry, type StockOrderEntry, type StockPosition } from '../stock/state.js';
import { firstLineStep, orderStep, paymentStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * Purchase returns, oldest pending first. Each line's target is what the order sent back so far plus this
 * return's quantity. If some line cannot go (fewer unreserved units on hand than it still needs),
 * `RefusePurchaseReturn` with the short lines and whatever of it already went back (normally nothing); else
 * `ReturnStockToSupplier{returnedTotal}` per line (`StockReturnedToSupplier`), then `CompletePurchaseReturn`.
 */
export function nextPurchaseReturnStep(states: PlacedOrderStates): ProcessStep | null {
  const { order } = states;
  if (order.kind !== 'purchase') return null;
  const pending = order.purchaseReturns.find((entry) => entry.state === 'pending');
  if (pending === undefined) return null;
  const { returnId } = pending;
  const lines = returnLines(states, pending);
  const shortLines: ShortLine[] = lines
    .map(({ sku, target, entry, stock }) => ({ sku, requested: target - entry.returnedToSupplier, available: Math.max(0, availableQuantity(stock)) }))
    .filter((line) => line.requested > 0 && line.available < line.requested);
  if (shortLines.length > 0) {
    const returnedLines: SkuQuantityInput[] = lines
      .map(({ sku, entry, alreadyBack }) => ({ sku, quantity: entry.returnedToSupplier - alreadyBack }))
      .filter((line) => line.quantity > 0);
    return orderStep(order, `purchase-return:${returnId}:refuse`, { type: 'RefusePurchaseReturn', orderId: order.orderId, returnId, shortLines, returnedLines });
  }
  return firstLineStep(lines, ({ sku, target, entry }) =>
    entry.returnedToSupplier < target
      ? stockStep(order, `${returnId}:return-to-supplier:${target}`, { type: 'ReturnStockToSupplier', warehouseId: order.warehouseId, sku, orderId: order.orderId, returnedTotal: target })
      : null)
    ?? orderStep(order, `purchase-return:${returnId}:complete`, { type: 'CompletePurchaseReturn', orderId: order.orderId, returnId });
}

interface ReturnLineTarget {
  readonly sku: string;
  /** Units of the order back with the supplier before this return (the order's count). */
  readonly alreadyBack: number;
  /** Units back with the supplier once this return is done. */
  readonly target: number;
  readonly entry: StockOrderEntry;
  readonly stock: StockPosition;
}

function returnLines(states: PlacedOrderStates, pending: PurchaseReturn): ReturnLineTarget[] {
  const { order } = states;
  return pending.lines.map(({ sku, quantity }) => {
    const alreadyBack = lineOf(order, sku)?.returnedToSupplier ?? 0;
    const stock = stockOf(states, sku);
    return { sku, alreadyBack, target: alreadyBack + quantity, entry: orderEntry(stock, order.orderId), stock };
  });
}

/**
 * What the supplier owes back in all: the goods sent back at the purchase price, plus, once a cancellation is
 * approved, the deposits beyond the value of the goods received.
 */
function supplierRefundDueTarget(order: Order, payment: Payment): number {
  const excessDeposits = order.cancellation?.state === 'approved' ? Math.max(0, payment.deposits - receivedValue(order)) : 0;
  return returnedToSupplierValue(order) + excessDeposits;
}

/** `RecordSupplierRefundDue` up to the target (cumulative: a repeat, or a smaller target, records nothing more). */
export function nextSupplierRefundDueStep({ order, payment }: PlacedOrderStates): ProcessStep | null {
  if (order.kind !== 'purchase') return null;
  const target = supplierRefundDueTarget(order, payment);
  if (payment.supplierRefundDue >= target) return null;
  return paymentStep(order, `supplier-refund-due:${target}`, { type: 'RecordSupplierRefundDue', orderId: order.orderId, dueTotal: target, currency: order.currency });
}
