import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText, isPositiveInteger } from '../shared/validation.js';
import { type CompletePurchaseReturn, type RefusePurchaseReturn, type ReturnToSupplier } from './commands.js';
import { type OrderEvent } from './events.js';
import { type DecisionTable, fact, onExisting, quantitiesBySku, refuse, requireKind } from './guards.js';
import { lineOf, type Order, type PurchaseReturn } from './state.js';

/**
 * Purchase returns: goods received on a purchase go back to the supplier (the process takes them out of stock,
 * or refuses when not enough unreserved stock is on hand). Allowed once something was received, on a closed
 * purchase too (goods kept may still go back), never on a cancelled one; a hold does not block it.
 */

/** Units of a line in purchase returns the stock has not settled yet. */
function pendingReturned(order: Order, sku: string): number {
  return order.purchaseReturns
    .filter((entry) => entry.state === 'pending')
    .flatMap((entry) => entry.lines)
    .filter((line) => line.sku === sku)
    .reduce((sum, line) => sum + line.quantity, 0);
}

function returnToSupplier(command: ReturnToSupplier, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'purchase', 'returned to the supplier');
  const asked = quantitiesBySku(order, command.lines, (line, index, checks) => {
    checks.require(isPositiveInteger(line.quantity), `lines[${index}].quantity`, 'must be a positive integer');
  }, new FieldChecks().require(isNonEmptyText(command.reason), 'reason', 'is required'));
  if (order.status === 'cancelled') refuse(order, 'the order is cancelled');
  if (order.lines.every((line) => line.received === 0)) refuse(order, 'nothing of this order was received');
  for (const [sku, quantity] of asked) {
    const line = lineOf(order, sku)!;
    const pending = pendingReturned(order, sku);
    if (quantity > line.received - line.returnedToSupplier - pending) {
      throw new DomainError('exceeds_shipped', `more ${sku} returned than received`, {
        orderId: order.orderId,
        sku,
        received: line.received,
        returnedToSupplier: line.returnedToSupplier,
        pending,
        requested: quantity,
      });
    }
  }
  return [{
    type: 'PurchaseReturnRequested',
    data: {
      ...fact(order, context),
      returnId: `PR${order.purchaseReturns.length + 1}`,
      lines: [...asked].map(([sku, quantity]) => ({ sku, quantity })),
      reason: command.reason.trim(),
      requestedBy: context.actor.id,
    },
  }];
}

function purchaseReturnOf(order: Order, returnId: string): PurchaseReturn {
  const entry = order.purchaseReturns.find((candidate) => candidate.returnId === returnId);
  if (entry === undefined) refuse(order, `the order has no purchase return ${returnId}`, { returnId });
  return entry;
}

/** Process: the stock took the goods out. Completing a return already done or refused changes nothing. */
function completePurchaseReturn(command: CompletePurchaseReturn, order: Order, context: Context): OrderEvent[] {
  if (purchaseReturnOf(order, command.returnId).state !== 'pending') return [];
  return [{ type: 'PurchaseReturnCompleted', data: { ...fact(order, context), returnId: command.returnId } }];
}

/** Process: not enough unreserved stock on hand. Refusing a return already done or refused changes nothing. */
function refusePurchaseReturn(command: RefusePurchaseReturn, order: Order, context: Context): OrderEvent[] {
  if (purchaseReturnOf(order, command.returnId).state !== 'pending') return [];
  return [{
    type: 'PurchaseReturnRefused',
    data: {
      ...fact(order, context),
      returnId: command.returnId,
      shortLines: command.shortLines.map((line) => ({ ...line })),
      returnedLines: command.returnedLines.map(({ sku, quantity }) => ({ sku, quantity })),
    },
  }];
}

/** The commands this workflow decides. */
export const purchaseReturns: DecisionTable<'ReturnToSupplier' | 'CompletePurchaseReturn' | 'RefusePurchaseReturn'> = {
  ReturnToSupplier: onExisting(returnToSupplier),
  CompletePurchaseReturn: onExisting(completePurchaseReturn),
  RefusePurchaseReturn: onExisting(refusePurchaseReturn),
};
