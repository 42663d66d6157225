import { type PurchaseReturnCompleted, type PurchaseReturnRefused, type PurchaseReturnRequested, type SkuQuantity } from './events.js';
import { addToLines } from './lines.js';
import { type Order, type PurchaseReturn } from './state.js';

/** How purchase returns change a purchase: requested, done (the goods left the stock), or refused. */

export function applyPurchaseReturnRequested(order: Order, data: PurchaseReturnRequested['data']): Order {
  const opened: PurchaseReturn = {
    returnId: data.returnId,
    lines: data.lines,
    reason: data.reason,
    requestedBy: data.requestedBy,
    requestedAt: data.at,
    state: 'pending',
    shortLines: [],
    returnedLines: [],
  };
  return { ...order, purchaseReturns: [...order.purchaseReturns, opened] };
}

function settle(order: Order, returnId: string, change: Partial<PurchaseReturn>, returned: readonly SkuQuantity[]): Order {
  return {
    ...order,
    lines: addToLines(order.lines, returned, (line, quantity) => ({ ...line, returnedToSupplier: line.returnedToSupplier + quantity })),
    purchaseReturns: order.purchaseReturns.map((entry) => (entry.returnId === returnId ? { ...entry, ...change } : entry)),
  };
}

export function applyPurchaseReturnCompleted(order: Order, data: PurchaseReturnCompleted['data']): Order {
  const entry = order.purchaseReturns.find((candidate) => candidate.returnId === data.returnId);
  if (entry === undefined || entry.state !== 'pending') return order;
  return settle(order, data.returnId, { state: 'done', returnedLines: entry.lines }, entry.lines);
}

export function applyPurchaseReturnRefused(order: Order, data: PurchaseReturnRefused['data']): Order {
  const entry = order.purchaseReturns.find((candidate) => candidate.returnId === data.returnId);
  if (entry === undefined || entry.state !== 'pending') return order;
  return settle(order, data.returnId, { state: 'refused', shortLines: data.shortLines, returnedLines: data.returnedLines }, data.returnedLines);
}
