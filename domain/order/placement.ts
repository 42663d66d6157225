import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import {
  FieldChecks,
  isCurrencyCode,
  isNonEmptyText,
  isNonNegativeInteger,
  isOptionalText,
  isPositiveInteger,
  optionalText,
} from '../shared/validation.js';
import { type ConfirmReservation, ORDER_KINDS, type PlaceOrder, type RejectOrder } from './commands.js';
import { type OrderEvent, type OrderPlaced } from './events.js';
import { type DecisionTable, fact, onExisting, refuse, requireKind } from './guards.js';
import { lineTotal, type Order, type OrderState } from './state.js';

/** Placement: an order is placed, then (sale) its reservation is confirmed or the order rejected. */

function placeOrder(command: PlaceOrder, state: OrderState, context: Context): OrderEvent[] {
  validatePlacement(command);
  const placed: OrderPlaced = {
    type: 'OrderPlaced',
    data: {
      orderId: command.orderId,
      number: optionalText(command.number) ?? command.orderId,
      kind: command.kind,
      partyId: command.partyId,
      warehouseId: command.warehouseId,
      currency: command.currency,
      lines: command.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
      ownerId: context.actor.id,
      at: context.now,
    },
  };
  if (state === null) return [placed];
  if (isSamePlacement(state, placed)) return [];
  throw new DomainError('already_exists', `order ${command.orderId} already exists`, { orderId: command.orderId });
}

function validatePlacement(command: PlaceOrder): void {
  const checks = new FieldChecks()
    .require(isNonEmptyText(command.orderId), 'orderId', 'is required')
    .require(isOptionalText(command.number), 'number', 'must be text')
    .require(ORDER_KINDS.includes(command.kind), 'kind', `must be one of ${ORDER_KINDS.join(', ')}`)
    .require(isNonEmptyText(command.partyId), 'partyId', 'is required')
    .require(isNonEmptyText(command.warehouseId), 'warehouseId', 'is required')
    .require(isCurrencyCode(command.currency), 'currency', 'must be a three-letter currency code')
    .require(Array.isArray(command.lines) && command.lines.length > 0, 'lines', 'must list at least one line');
  const seen = new Set<string>();
  (Array.isArray(command.lines) ? command.lines : []).forEach((line, index) => {
    checks
      .require(isNonEmptyText(line.sku), `lines[${index}].sku`, 'is required')
      .require(!seen.has(line.sku), `lines[${index}].sku`, 'appears on more than one line')
      .require(isPositiveInteger(line.quantity), `lines[${index}].quantity`, 'must be a positive integer')
      .require(isNonNegativeInteger(line.unitPrice), `lines[${index}].unitPrice`, 'must be a non-negative integer (minor units)');
    seen.add(line.sku);
  });
  checks.throwIfAny();
  const total = command.lines.reduce((sum, line) => sum + lineTotal(line), 0);
  new FieldChecks().require(Number.isSafeInteger(total), 'lines', 'the order total is too large').throwIfAny();
}

/** The same placement sent again by its owner is a repeat, not a conflict. */
function isSamePlacement(order: Order, placed: OrderPlaced): boolean {
  const { data } = placed;
  return order.kind === data.kind
    && order.number === data.number
    && order.partyId === data.partyId
    && order.warehouseId === data.warehouseId
    && order.currency === data.currency
    && order.ownerId === data.ownerId
    && order.lines.length === data.lines.length
    && order.lines.every((line, index) => {
      const other = data.lines[index];
      return line.sku === other.sku && line.quantity === other.quantity && line.unitPrice === other.unitPrice;
    });
}

function confirmReservation(_command: ConfirmReservation, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'reserved');
  if (order.reservation === 'complete') return [];
  if (order.reservation !== 'pending') refuse(order, 'the placement of this order was rejected');
  return [{ type: 'OrderReserved', data: fact(order, context) }];
}

function rejectOrder(command: RejectOrder, order: Order, context: Context): OrderEvent[] {
  requireKind(order, 'sale', 'rejected');
  if (order.reservation === 'failed') return [];
  if (order.reservation !== 'pending') refuse(order, 'every line of this order is already reserved');
  return [{ type: 'OrderRejected', data: { ...fact(order, context), shortLines: command.shortLines.map((line) => ({ ...line })) } }];
}

/** The commands this workflow decides. */
export const placement: DecisionTable<'PlaceOrder' | 'ConfirmReservation' | 'RejectOrder'> = {
  PlaceOrder: placeOrder,
  ConfirmReservation: onExisting(confirmReservation),
  RejectOrder: onExisting(rejectOrder),
};
