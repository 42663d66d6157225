import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { assertNever } from '../shared/event.js';
import { FieldChecks, isNonEmptyText, isNonNegativeInteger, isPositiveInteger, optionalText } from '../shared/validation.js';
import {
  type CancelExpectedStock,
  type CountStock,
  type ExpectStock,
  type ReceivePurchaseStock,
  type ReceiveStock,
  type ReturnStockToSupplier,
  type ReturnToStock,
  type SetReservation,
  type SetStockThresholds,
  type ShipStock,
  type StockCommand,
} from './commands.js';
import { type StockEvent } from './events.js';
import { availableQuantity, incomingOf, orderEntry, type StockPosition } from './state.js';

export function decide(command: StockCommand, stock: StockPosition, context: Context): StockEvent[] {
  switch (command.type) {
    case 'ReceiveStock': return receiveStock(command);
    case 'CountStock': return countStock(command, stock, context);
    case 'SetStockThresholds': return setThresholds(command, stock);
    case 'SetReservation': return setReservation(command, stock);
    case 'ShipStock': return shipReservation(command, stock);
    case 'ReturnToStock': return returnToStock(command, stock);
    case 'ReturnStockToSupplier': return returnToSupplier(command, stock);
    case 'ExpectStock': return expectStock(command, stock);
    case 'CancelExpectedStock': return cancelExpectedStock(command, stock);
    case 'ReceivePurchaseStock': return receivePurchaseStock(command, stock);
    default: return assertNever(command);
  }
}

const position = (command: StockCommand) => ({ warehouseId: command.warehouseId, sku: command.sku });

function receiveStock(command: ReceiveStock): StockEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.quantity), 'quantity', 'must be a positive integer')
    .throwIfAny();
  return [{
    type: 'StockReceived',
    data: { ...position(command), quantity: command.quantity, orderId: null, note: optionalText(command.note) },
  }];
}

function countStock(command: CountStock, stock: StockPosition, context: Context): StockEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.countedQuantity), 'countedQuantity', 'must be a non-negative integer')
    .require(isNonEmptyText(command.reason), 'reason', 'is required')
    .throwIfAny();
  // A count under what is promised to orders would let a shipment drive on hand negative:
  // the reservations must be released (orders cancelled) first.
  if (command.countedQuantity < stock.reserved) {
    throw new DomainError('insufficient_stock', 'the counted quantity is less than what is reserved for orders', {
      ...position(command),
      countedQuantity: command.countedQuantity,
      reserved: stock.reserved,
    });
  }
  return [{
    type: 'StockAdjusted',
    data: {
      ...position(command),
      countedQuantity: command.countedQuantity,
      variance: command.countedQuantity - stock.onHand,
      reason: command.reason.trim(),
      countedBy: context.actor.id,
      countedAt: context.now,
    },
  }];
}

function setThresholds(command: SetStockThresholds, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(command.min === null || isNonNegativeInteger(command.min), 'min', 'must be a non-negative integer')
    .require(command.max === null || isNonNegativeInteger(command.max), 'max', 'must be a non-negative integer')
    .require(command.min === null || command.max === null || command.min <= command.max, 'max', 'must not be less than min')
    .throwIfAny();
  if (stock.min === command.min && stock.max === command.max) return [];
  return [{ type: 'StockThresholdsSet', data: { ...position(command), min: command.min, max: command.max } }];
}

/**
 * The reservation as a setpoint: the order needs `required` units from this position in all (held or shipped),
 * so it holds `max(0, required − shipped)`. A setpoint no newer than the last one applied (`asOf`) changes nothing,
 * so a step computed from an older order state never undoes a newer one.
 */
function setReservation(command: SetReservation, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.required), 'required', 'must be a non-negative integer')
    .require(isPositiveInteger(command.asOf), 'asOf', 'must be a positive integer')
    .throwIfAny();
  const entry = orderEntry(stock, command.orderId);
  if (command.asOf <= entry.reservationAsOf) return [];
  const delta = Math.max(0, command.required - entry.shipped) - entry.reserved;
  const data = { ...position(command), orderId: command.orderId, asOf: command.asOf };
  if (delta < 0) return [{ type: 'StockReleased', data: { ...data, quantity: -delta } }];
  if (delta === 0) return [];
  const available = availableQuantity(stock);
  if (delta > available) {
    throw new DomainError('insufficient_stock', `not enough ${command.sku} available in ${command.warehouseId}`, {
      ...position(command),
      requested: delta,
      available: Math.max(0, available),
    });
  }
  return [{ type: 'StockReserved', data: { ...data, quantity: delta } }];
}

/** Reserved units leave the warehouse up to `shippedTotal` for the order: never more than the order holds. */
function shipReservation(command: ShipStock, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.shippedTotal), 'shippedTotal', 'must be a non-negative integer')
    .throwIfAny();
  const entry = orderEntry(stock, command.orderId);
  const quantity = command.shippedTotal - entry.shipped;
  if (quantity <= 0) return [];
  if (quantity > entry.reserved) {
    throw new DomainError('invalid_transition', 'more units shipped than are reserved for this order', {
      ...position(command),
      orderId: command.orderId,
      reserved: entry.reserved,
      shipped: entry.shipped,
      shippedTotal: command.shippedTotal,
    });
  }
  return [{ type: 'StockShipped', data: { ...position(command), orderId: command.orderId, quantity } }];
}

function returnToStock(command: ReturnToStock, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.returnedTotal), 'returnedTotal', 'must be a non-negative integer')
    .throwIfAny();
  const entry = orderEntry(stock, command.orderId);
  if (command.returnedTotal <= entry.returned) return [];
  if (command.returnedTotal > entry.shipped) {
    throw new DomainError('exceeds_shipped', 'more units returned than were shipped for this order', {
      ...position(command),
      orderId: command.orderId,
      shipped: entry.shipped,
      returnedTotal: command.returnedTotal,
    });
  }
  return [{
    type: 'StockReturned',
    data: { ...position(command), orderId: command.orderId, quantity: command.returnedTotal - entry.returned },
  }];
}

/**
 * A purchase return: received units of the order leave on hand back to the supplier, up to `returnedTotal` in all;
 * never more than the order received, never into what is reserved for sale orders.
 */
function returnToSupplier(command: ReturnStockToSupplier, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.returnedTotal), 'returnedTotal', 'must be a non-negative integer')
    .throwIfAny();
  const entry = orderEntry(stock, command.orderId);
  const quantity = command.returnedTotal - entry.returnedToSupplier;
  if (quantity <= 0) return [];
  const where = { ...position(command), orderId: command.orderId };
  if (command.returnedTotal > entry.received) {
    throw new DomainError('exceeds_shipped', 'more returned than received', { ...where, received: entry.received, returnedTotal: command.returnedTotal });
  }
  const available = availableQuantity(stock);
  if (quantity > available) {
    throw new DomainError('insufficient_stock', `not enough unreserved ${command.sku} on hand in ${command.warehouseId}`, {
      ...position(command),
      requested: quantity,
      available: Math.max(0, available),
    });
  }
  return [{ type: 'StockReturnedToSupplier', data: { ...where, quantity } }];
}

function expectStock(command: ExpectStock, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.quantity), 'quantity', 'must be a positive integer')
    .throwIfAny();
  if (orderEntry(stock, command.orderId).expected > 0) return [];
  return [{ type: 'StockExpected', data: { ...position(command), orderId: command.orderId, quantity: command.quantity } }];
}

function cancelExpectedStock(command: CancelExpectedStock, stock: StockPosition): StockEvent[] {
  const stillIncoming = incomingOf(orderEntry(stock, command.orderId));
  if (stillIncoming <= 0) return [];
  return [{
    type: 'StockExpectationCancelled',
    data: { ...position(command), orderId: command.orderId, quantity: stillIncoming },
  }];
}

function receivePurchaseStock(command: ReceivePurchaseStock, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.receivedTotal), 'receivedTotal', 'must be a non-negative integer')
    .throwIfAny();
  const entry = orderEntry(stock, command.orderId);
  if (command.receivedTotal <= entry.received) return [];
  const receivable = entry.expected - entry.expectationCancelled;
  if (command.receivedTotal > receivable) {
    throw new DomainError('exceeds_ordered', 'more units received than this purchase order expects', {
      ...position(command),
      orderId: command.orderId,
      expected: receivable,
      receivedTotal: command.receivedTotal,
    });
  }
  return [{
    type: 'StockReceived',
    data: { ...position(command), quantity: command.receivedTotal - entry.received, orderId: command.orderId, note: null },
  }];
}
