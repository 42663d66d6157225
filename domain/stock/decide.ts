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
import { arriveTransfer, issueStock, receiveTransfer, refuseBelowReserved, transferStockOut } from './decide-moves.js';
import { type StockEvent } from './events.js';
import { availableQuantity, incomingOf, orderEntry, type StockPosition, unitCostOf } from './state.js';
import { shareOf } from './value.js';

export function decide(command: StockCommand, stock: StockPosition, context: Context): StockEvent[] {
  switch (command.type) {
    case 'ReceiveStock': return receiveStock(command, stock);
    case 'CountStock': return countStock(command, stock, context);
    case 'SetStockThresholds': return setThresholds(command, stock);
    case 'SetReservation': return setReservation(command, stock);
    case 'ShipStock': return shipReservation(command, stock);
    case 'ReturnToStock': return returnToStock(command, stock);
    case 'ReturnStockToSupplier': return returnToSupplier(command, stock);
    case 'ExpectStock': return expectStock(command, stock);
    case 'CancelExpectedStock': return cancelExpectedStock(command, stock);
    case 'ReceivePurchaseStock': return receivePurchaseStock(command, stock);
    case 'IssueStock': return issueStock(command, stock, context);
    case 'TransferStockOut': return transferStockOut(command, stock);
    case 'ArriveTransfer': return arriveTransfer(command, stock);
    case 'ReceiveTransfer': return receiveTransfer(command, stock, context);
    default: return assertNever(command);
  }
}

const position = (command: StockCommand) => ({ warehouseId: command.warehouseId, sku: command.sku });

function receiveStock(command: ReceiveStock, stock: StockPosition): StockEvent[] {
  const unitCost = command.unitCost ?? null;
  new FieldChecks()
    .require(isPositiveInteger(command.quantity), 'quantity', 'must be a positive integer')
    .require(unitCost === null || isNonNegativeInteger(unitCost), 'unitCost', 'must be a non-negative integer (minor units)')
    .require(unitCost === null || Number.isSafeInteger(unitCost * command.quantity), 'unitCost', 'times quantity is too large')
    .throwIfAny();
  return [{
    type: 'StockReceived',
    data: { ...position(command), quantity: command.quantity, orderId: null, note: optionalText(command.note), unitCost, value: receiptValue(stock, command.quantity, unitCost) },
  }];
}

/** What a receipt adds: quantity × its unit cost, or × the current average when it names none. */
const receiptValue = (stock: StockPosition, quantity: number, unitCost: number | null): number => quantity * (unitCost ?? unitCostOf(stock));

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
  const variance = command.countedQuantity - stock.onHand;
  return [{
    type: 'StockAdjusted',
    data: {
      ...position(command),
      countedQuantity: command.countedQuantity,
      variance,
      // A gain at the current average; a loss takes what those units carry (the rest when nothing is left).
      value: variance >= 0 ? variance * unitCostOf(stock) : 0 - shareOf(stock.value, stock.onHand, -variance),
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
  return [{ type: 'StockShipped', data: { ...position(command), orderId: command.orderId, quantity, value: shareOf(stock.value, stock.onHand, quantity) } }];
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
  const quantity = command.returnedTotal - entry.returned;
  // Back at the cost the order's units left with: a share of what its shipped units not yet back carried.
  const value = shareOf(entry.shippedValue - entry.returnedValue, entry.shipped - entry.returned, quantity);
  return [{ type: 'StockReturned', data: { ...position(command), orderId: command.orderId, quantity, value } }];
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
  refuseBelowReserved(command, stock, quantity);
  return [{ type: 'StockReturnedToSupplier', data: { ...where, quantity, value: shareOf(stock.value, stock.onHand, quantity) } }];
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
    .require(command.unitCost === null || isNonNegativeInteger(command.unitCost), 'unitCost', 'must be a non-negative integer (minor units)')
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
  const quantity = command.receivedTotal - entry.received;
  return [{
    type: 'StockReceived',
    data: { ...position(command), quantity, orderId: command.orderId, note: null, unitCost: command.unitCost, value: receiptValue(stock, quantity, command.unitCost) },
  }];
}
