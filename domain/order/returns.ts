import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { isPositiveInteger } from '../shared/validation.js';
import { type ReceiveReturn, RETURN_CONDITIONS } from './commands.js';
import { type OrderEvent } from './events.js';
import { type DecisionTable, fact, onExisting, quantitiesBySku, refuse, requireKind, requireNotFinished } from './guards.js';
import { lineOf, type Order, returnedQuantity } from './state.js';

/** Returns: goods of a sale whose cancellation after shipment was approved come back, never more than shipped. */

function receiveReturn(command: ReceiveReturn, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'returned');
  requireNotFinished(order);
  if (order.status !== 'returning') refuse(order, 'returns are received only for an order whose cancellation after shipment was approved');
  const arriving = quantitiesBySku(order, command.lines, (line, index, checks) => {
    checks
      .require(isPositiveInteger(line.quantity), `lines[${index}].quantity`, 'must be a positive integer')
      .require(RETURN_CONDITIONS.includes(line.condition), `lines[${index}].condition`, `must be one of ${RETURN_CONDITIONS.join(', ')}`);
  });
  for (const [sku, quantity] of arriving) {
    const line = lineOf(order, sku)!;
    if (returnedQuantity(line) + quantity > line.quantity) {
      throw new DomainError('exceeds_shipped', `more ${sku} returned than shipped`, {
        orderId: order.orderId,
        sku,
        shipped: line.quantity,
        returned: returnedQuantity(line),
        requested: quantity,
      });
    }
  }
  return [{
    type: 'ReturnReceived',
    data: { ...fact(order, context), lines: command.lines.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })) },
  }];
}

/** The commands this workflow decides. */
export const returns: DecisionTable<'ReceiveReturn'> = {
  ReceiveReturn: onExisting(receiveReturn),
};
