import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isOptionalText, isPositiveInteger, optionalText } from '../shared/validation.js';
import { type DeliverOrder, type ProcessOrder, type ReceiveGoods, type ShipOrder } from './commands.js';
import { type OrderEvent } from './events.js';
import { type DecisionTable, fact, onExisting, quantitiesBySku, refuse, requireKind, requireNoCancellation, requireNotFinished, requireReservationComplete } from './guards.js';
import { lineOf, type Order } from './state.js';

/** Fulfilment: a sale is processed, shipped and delivered; a purchase's goods are received. */

function processOrder(_command: ProcessOrder, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'processed');
  requireNotFinished(order);
  requireReservationComplete(order);
  requireNoCancellation(order);
  if (order.status === 'processing') return [];
  if (order.status !== 'placed') refuse(order, `a ${order.status} order cannot be processed`);
  return [{ type: 'OrderProcessed', data: fact(order, context) }];
}

function shipOrder(command: ShipOrder, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'shipped');
  requireNotFinished(order);
  requireReservationComplete(order);
  requireNoCancellation(order);
  new FieldChecks()
    .require(isOptionalText(command.carrier), 'carrier', 'must be text')
    .require(isOptionalText(command.trackingNumber), 'trackingNumber', 'must be text')
    .throwIfAny();
  if (order.status === 'shipped') return [];
  if (order.status !== 'placed' && order.status !== 'processing') refuse(order, `a ${order.status} order cannot be shipped`);
  return [{
    type: 'OrderShipped',
    data: { ...fact(order, context), carrier: optionalText(command.carrier), trackingNumber: optionalText(command.trackingNumber) },
  }];
}

/** Delivery is a fact from outside: a pending cancellation does not stop the customer signing. */
function deliverOrder(_command: DeliverOrder, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'delivered');
  requireNotFinished(order);
  if (order.status === 'delivered') return [];
  if (order.status !== 'shipped') refuse(order, `a ${order.status} order cannot be delivered`);
  return [{ type: 'OrderDelivered', data: fact(order, context) }];
}

function receiveGoods(command: ReceiveGoods, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'purchase', 'received');
  requireNotFinished(order);
  requireNoCancellation(order);
  const arriving = quantitiesBySku(order, command.lines, (line, index, checks) => {
    checks.require(isPositiveInteger(line.quantity), `lines[${index}].quantity`, 'must be a positive integer');
  });
  for (const [sku, quantity] of arriving) {
    const line = lineOf(order, sku)!;
    if (line.received + quantity > line.quantity) {
      throw new DomainError('exceeds_ordered', `more ${sku} received than ordered`, {
        orderId: order.orderId,
        sku,
        ordered: line.quantity,
        received: line.received,
        requested: quantity,
      });
    }
  }
  return [{
    type: 'GoodsReceived',
    data: { ...fact(order, context), lines: command.lines.map(({ sku, quantity }) => ({ sku, quantity })) },
  }];
}

/** The commands this workflow decides. */
export const fulfilment: DecisionTable<'ProcessOrder' | 'ShipOrder' | 'DeliverOrder' | 'ReceiveGoods'> = {
  ProcessOrder: onExisting(processOrder),
  ShipOrder: onExisting(shipOrder),
  DeliverOrder: onExisting(deliverOrder),
  ReceiveGoods: onExisting(receiveGoods),
};
