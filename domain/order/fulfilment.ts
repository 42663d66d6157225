import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isOptionalText, isPositiveInteger, optionalText } from '../shared/validation.js';
import { type DeliverOrder, type ProcessOrder, type ReceiveGoods, type ShipOrder } from './commands.js';
import { type OrderEvent, type SkuQuantity } from './events.js';
import {
  type DecisionTable,
  fact,
  onExisting,
  quantitiesBySku,
  refuse,
  requireKind,
  requireNoCancellation,
  requireNoPendingAmendment,
  requireNotFinished,
  requireNotOnHold,
  requireReservationComplete,
} from './guards.js';
import { perLine } from './lines.js';
import { lineOf, type Order, unshippedQuantity } from './state.js';

/** Fulfilment: a sale is processed, shipped in parts and delivered per shipment; a purchase's goods are received. */

function processOrder(_command: ProcessOrder, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'processed');
  requireNotFinished(order);
  requireReservationComplete(order);
  requireNoCancellation(order);
  requireNotOnHold(order);
  if (order.status === 'processing') return [];
  if (order.status !== 'placed') refuse(order, `a ${order.status} order cannot be processed`);
  return [{ type: 'OrderProcessed', data: fact(order, context) }];
}

/** One shipment of the given quantities (absent: everything not shipped yet), numbered S1, S2, ... */
function shipOrder(command: ShipOrder, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'shipped');
  const checks = new FieldChecks()
    .require(isOptionalText(command.carrier), 'carrier', 'must be text')
    .require(isOptionalText(command.trackingNumber), 'trackingNumber', 'must be text');
  const asked = command.lines == null ? null : quantitiesBySku(order, command.lines, (line, index, lineChecks) => {
    lineChecks.require(isPositiveInteger(line.quantity), `lines[${index}].quantity`, 'must be a positive integer');
  }, checks);
  checks.throwIfAny();
  requireNotFinished(order);
  requireReservationComplete(order);
  requireNoCancellation(order);
  requireNotOnHold(order);
  requireNoPendingAmendment(order);
  if (!['placed', 'processing', 'partially_shipped'].includes(order.status)) refuse(order, `a ${order.status} order cannot be shipped`);
  const lines = asked === null ? perLine(order, unshippedQuantity) : shippable(order, asked);
  if (lines.length === 0) refuse(order, 'nothing is left to ship');
  return [{
    type: 'OrderShipped',
    data: {
      ...fact(order, context),
      shipmentId: `S${order.shipments.length + 1}`,
      lines,
      carrier: optionalText(command.carrier),
      trackingNumber: optionalText(command.trackingNumber),
    },
  }];
}

/** The asked quantities, each within what is ordered and neither cancelled nor shipped yet. */
function shippable(order: Order, asked: Map<string, number>): SkuQuantity[] {
  return [...asked].map(([sku, quantity]) => {
    const line = lineOf(order, sku)!;
    if (quantity > unshippedQuantity(line)) {
      throw new DomainError('exceeds_ordered', `more ${sku} shipped than ordered and not yet shipped or cancelled`, {
        orderId: order.orderId,
        sku,
        ordered: line.quantity,
        cancelled: line.cancelled,
        shipped: line.shipped,
        requested: quantity,
      });
    }
    return { sku, quantity };
  });
}

/**
 * Delivery of one shipment (absent: every shipment not delivered yet). Delivery is a fact from outside:
 * a pending or approved cancellation does not stop the customer signing; a hold does.
 */
function deliverOrder(command: DeliverOrder, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'delivered');
  new FieldChecks().require(isOptionalText(command.shipmentId), 'shipmentId', 'must be text').throwIfAny();
  const shipmentId = optionalText(command.shipmentId);
  const named = shipmentId === null ? null : order.shipments.find((shipment) => shipment.shipmentId === shipmentId);
  new FieldChecks().require(named !== undefined, 'shipmentId', 'is not a shipment of this order').throwIfAny();
  requireNotFinished(order);
  requireNotOnHold(order);
  const delivering = (named == null ? order.shipments : [named]).filter((shipment) => shipment.deliveredAt === null);
  if (delivering.length === 0) {
    if (named != null || order.status === 'delivered') return [];
    refuse(order, `a ${order.status} order has no shipment to deliver`);
  }
  return [{ type: 'OrderDelivered', data: { ...fact(order, context), shipmentIds: delivering.map((shipment) => shipment.shipmentId) } }];
}

function receiveGoods(command: ReceiveGoods, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'purchase', 'received');
  requireNotFinished(order);
  requireNoCancellation(order);
  requireNotOnHold(order);
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
