import { type SkuQuantity } from './events.js';
import { type Order, type OrderLine } from './state.js';

/** Adds each sku's summed quantity to its line (skus not on the order are ignored: evolve never refuses). */
export function addToLines(
  lines: readonly OrderLine[],
  quantities: readonly { sku: string; quantity: number }[],
  add: (line: OrderLine, quantity: number) => OrderLine,
): readonly OrderLine[] {
  return lines.map((line) => {
    const quantity = quantities.filter((entry) => entry.sku === line.sku).reduce((sum, entry) => sum + entry.quantity, 0);
    return quantity === 0 ? line : add(line, quantity);
  });
}

/** Per sku, the quantities of each line that `pick` returns, leaving out zeros. */
export function perLine(order: Order, pick: (line: OrderLine) => number): SkuQuantity[] {
  return order.lines.map((line) => ({ sku: line.sku, quantity: pick(line) })).filter((line) => line.quantity > 0);
}

/** Sums quantities per sku, in first-seen order. */
export function sumBySku(lines: readonly SkuQuantity[]): SkuQuantity[] {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  return [...totals].map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * A sale's stage from its lines, once nothing else decides it: rejected, returning, cancelled and closed stay
 * (their events set them); otherwise nothing shipped is placed (or processing), some of what remains shipped is
 * partially_shipped, all of it shipped is shipped, and delivered once every shipment is.
 */
export function fulfilmentStatus(order: Order): Order['status'] {
  if (order.kind !== 'sale') return order.status;
  if (['rejected', 'returning', 'cancelled', 'closed'].includes(order.status)) return order.status;
  const remaining = order.lines.reduce((sum, line) => sum + line.quantity - line.cancelled, 0);
  const shipped = order.lines.reduce((sum, line) => sum + line.shipped, 0);
  const delivered = order.lines.reduce((sum, line) => sum + line.delivered, 0);
  if (shipped === 0) return order.status === 'processing' ? 'processing' : 'placed';
  if (shipped < remaining) return 'partially_shipped';
  return delivered >= shipped ? 'delivered' : 'shipped';
}

/** A line as placed or added by an amendment: nothing moved yet. */
export function newLine(sku: string, quantity: number, unitPrice: number): OrderLine {
  return {
    sku,
    quantity,
    unitPrice,
    cancelled: 0,
    shipped: 0,
    delivered: 0,
    received: 0,
    returnedResellable: 0,
    returnedDamaged: 0,
    returnPending: 0,
    returnedToSupplier: 0,
  };
}
