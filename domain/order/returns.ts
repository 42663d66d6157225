import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText, isOptionalText, isPositiveInteger, optionalText } from '../shared/validation.js';
import { type CloseReturns, type ReceiveReturn, type RequestReturn, RETURN_CONDITIONS } from './commands.js';
import { type OrderEvent } from './events.js';
import { type DecisionTable, fact, onExisting, quantitiesBySku, refuse, requireKind, requireNotFinished } from './guards.js';
import { sumBySku } from './lines.js';
import { lineOf, type Order, type OrderReturn, openReturns, returnedQuantity, type ReturnLine } from './state.js';

/**
 * Returns of a sale: a customer return of delivered units (the order goes on), goods back for any open return
 * (a customer's or an approved cancellation's), and closing the returns that will not come back.
 */

const stillExpected = (line: ReturnLine): number => line.quantity - line.receivedResellable - line.receivedDamaged;

/** Open returns still waiting for some unit. */
const awaitedReturns = (order: Order): OrderReturn[] => openReturns(order).filter((entry) => entry.lines.some((line) => stillExpected(line) > 0));

function requestReturn(command: RequestReturn, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'returned');
  const asked = quantitiesBySku(order, command.lines, (line, index, checks) => {
    checks.require(isPositiveInteger(line.quantity), `lines[${index}].quantity`, 'must be a positive integer');
  }, new FieldChecks().require(isNonEmptyText(command.reason), 'reason', 'is required'));
  requireNotFinished(order);
  for (const [sku, quantity] of asked) {
    const line = lineOf(order, sku)!;
    if (quantity > line.delivered - returnedQuantity(line) - line.returnPending) {
      throw new DomainError('exceeds_shipped', `more ${sku} returned than delivered and not yet returned`, {
        orderId: order.orderId,
        sku,
        delivered: line.delivered,
        returned: returnedQuantity(line),
        returnPending: line.returnPending,
        requested: quantity,
      });
    }
  }
  return [{
    type: 'ReturnRequested',
    data: {
      ...fact(order, context),
      returnId: `R${order.returns.length + 1}`,
      origin: 'customer',
      lines: [...asked].map(([sku, quantity]) => ({ sku, quantity })),
      reason: command.reason.trim(),
      requestedBy: context.actor.id,
    },
  }];
}

/** Goods back for the named open return, or (unnamed) for the open returns oldest first; never more than they expect. */
function receiveReturn(command: ReceiveReturn, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'returned');
  const arriving = quantitiesBySku(order, command.lines, (line, index, checks) => {
    checks
      .require(isPositiveInteger(line.quantity), `lines[${index}].quantity`, 'must be a positive integer')
      .require(RETURN_CONDITIONS.includes(line.condition), `lines[${index}].condition`, `must be one of ${RETURN_CONDITIONS.join(', ')}`);
  }, new FieldChecks().require(isOptionalText(command.returnId), 'returnId', 'must be text'));
  requireNotFinished(order);
  if (awaitedReturns(order).length === 0) refuse(order, 'no return of this order is waiting for goods');
  const returnId = optionalText(command.returnId);
  const named = returnId === null ? null : openReturns(order).find((entry) => entry.returnId === returnId);
  new FieldChecks().require(named !== undefined, 'returnId', 'is not an open return of this order').throwIfAny();
  for (const [sku, quantity] of arriving) {
    const line = lineOf(order, sku)!;
    const expected = named == null ? line.returnPending : named.lines.filter((entry) => entry.sku === sku).reduce((sum, entry) => sum + stillExpected(entry), 0);
    if (quantity > expected) {
      throw new DomainError('exceeds_shipped', `more ${sku} returned than the return expects`, {
        orderId: order.orderId,
        ...(named == null ? {} : { returnId }),
        sku,
        shipped: line.shipped,
        returned: returnedQuantity(line),
        expected,
        requested: quantity,
      });
    }
  }
  return [{
    type: 'ReturnReceived',
    data: { ...fact(order, context), returnId, lines: command.lines.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })) },
  }];
}

/** Stop waiting: the open returns close; what had not come back by now is no longer expected. */
function closeReturns(command: CloseReturns, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'returned');
  new FieldChecks().require(isNonEmptyText(command.reason), 'reason', 'is required').throwIfAny();
  requireNotFinished(order);
  if (awaitedReturns(order).length === 0) refuse(order, 'no return of this order is waiting for goods');
  const open = openReturns(order);
  const missing = sumBySku(open.flatMap((entry) => entry.lines.map((line) => ({ sku: line.sku, quantity: stillExpected(line) })))).filter((line) => line.quantity > 0);
  return [{
    type: 'ReturnsClosed',
    data: { ...fact(order, context), returnIds: open.map((entry) => entry.returnId), lines: missing, reason: command.reason.trim(), closedBy: context.actor.id },
  }];
}

/** The commands this workflow decides. */
export const returns: DecisionTable<'RequestReturn' | 'ReceiveReturn' | 'CloseReturns'> = {
  RequestReturn: onExisting(requestReturn),
  ReceiveReturn: onExisting(receiveReturn),
  CloseReturns: onExisting(closeReturns),
};
