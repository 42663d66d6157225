import { type Context, hasRole } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { assertNever } from '../shared/event.js';
import {
  FieldChecks,
  isCurrencyCode,
  isNonEmptyText,
  isNonNegativeInteger,
  isOptionalText,
  isPositiveInteger,
  optionalText,
} from '../shared/validation.js';
import { PENALTY_PAYERS, REFUND_METHODS } from '../payment/commands.js';
import {
  type ApproveCancellation,
  type CloseOrder,
  type CompleteCancellation,
  type ConfirmReservation,
  type DeliverOrder,
  INITIATORS,
  ORDER_KINDS,
  type OrderCommand,
  type PlaceOrder,
  type ProcessOrder,
  type ReceiveGoods,
  type ReceiveReturn,
  type RejectCancellation,
  type RejectOrder,
  type RequestCancellation,
  RETURN_CONDITIONS,
  type ShipOrder,
  type WithdrawCancellation,
} from './commands.js';
import { type CancellationOutcome, type OrderEvent, type OrderPlaced } from './events.js';
import { isEverythingReturned, isFinished, lineOf, lineTotal, type Order, type OrderState, returnedQuantity } from './state.js';

export function decide(command: OrderCommand, state: OrderState, context: Context): OrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder': return placeOrder(command, state, context);
    case 'ConfirmReservation': return confirmReservation(command, existing(state, command.orderId), context);
    case 'RejectOrder': return rejectOrder(command, existing(state, command.orderId), context);
    case 'ProcessOrder': return processOrder(command, existing(state, command.orderId), context);
    case 'ShipOrder': return shipOrder(command, existing(state, command.orderId), context);
    case 'DeliverOrder': return deliverOrder(command, existing(state, command.orderId), context);
    case 'ReceiveGoods': return receiveGoods(command, existing(state, command.orderId), context);
    case 'RequestCancellation': return requestCancellation(command, existing(state, command.orderId), context);
    case 'ApproveCancellation': return approveCancellation(command, state, context);
    case 'RejectCancellation': return rejectCancellation(command, state, context);
    case 'WithdrawCancellation': return withdrawCancellation(command, existing(state, command.orderId), context);
    case 'ReceiveReturn': return receiveReturn(command, existing(state, command.orderId), context);
    case 'CompleteCancellation': return completeCancellation(command, existing(state, command.orderId), context);
    case 'CloseOrder': return closeOrder(command, existing(state, command.orderId), context);
    default: return assertNever(command);
  }
}

function existing(state: OrderState, orderId: string): Order {
  if (state === null) throw new DomainError('not_found', `order ${orderId} does not exist`, { orderId });
  return state;
}

const fact = (order: Order, context: Context) => ({ orderId: order.orderId, at: context.now });

function refuse(order: Order, message: string, details: Record<string, unknown> = {}): never {
  throw new DomainError('invalid_transition', message, { orderId: order.orderId, status: order.status, ...details });
}

function requireKind(order: Order, kind: Order['kind'], action: string): void {
  if (order.kind !== kind) refuse(order, `only ${kind} orders can be ${action}`, { kind: order.kind });
}

/** Rejected, cancelled and closed orders refuse everything but reads. */
function requireNotFinished(order: Order): void {
  if (isFinished(order)) refuse(order, `the order is ${order.status}`);
}

/** The sale placement process has not finished reserving every line yet. */
function requireReservationComplete(order: Order): void {
  if (order.reservation === 'pending') refuse(order, 'the stock reservation of this order is still in progress');
}

/** Fulfilment waits while a cancellation is pending and stops once one is approved. */
function requireNoCancellation(order: Order): void {
  if (order.cancellation?.state === 'requested') {
    throw new DomainError('cancellation_pending', 'a cancellation of this order is pending review', { orderId: order.orderId });
  }
  if (order.cancellation?.state === 'approved') refuse(order, 'the order is being cancelled');
}

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

/** Validates lines that name skus of the order; sums quantities per sku. */
function quantitiesBySku<Line extends { sku: string; quantity: number }>(
  order: Order,
  lines: readonly Line[],
  checkLine: (line: Line, index: number, checks: FieldChecks) => void,
): Map<string, number> {
  const checks = new FieldChecks().require(Array.isArray(lines) && lines.length > 0, 'lines', 'must list at least one line');
  const totals = new Map<string, number>();
  (Array.isArray(lines) ? lines : []).forEach((line, index) => {
    checks.require(lineOf(order, line.sku) !== undefined, `lines[${index}].sku`, 'is not on this order');
    checkLine(line, index, checks);
    totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  });
  checks.throwIfAny();
  return totals;
}

function requestCancellation(command: RequestCancellation, order: Order, context: Context): OrderEvent[] {
  new FieldChecks()
    .require(isNonEmptyText(command.reason), 'reason', 'is required')
    .require(INITIATORS.includes(command.initiatedBy), 'initiatedBy', `must be one of ${INITIATORS.join(', ')}`)
    .require(isOptionalText(command.note), 'note', 'must be text')
    .throwIfAny();
  requireNotFinished(order);
  requireReservationComplete(order);
  if (order.cancellation?.state === 'requested') {
    throw new DomainError('cancellation_pending', 'a cancellation of this order is already pending review', { orderId: order.orderId });
  }
  if (order.cancellation?.state === 'approved') refuse(order, 'the order is already being cancelled');
  if (order.status === 'received') {
    throw new DomainError('not_cancellable', 'a fully received purchase order cannot be cancelled: record a purchase return instead', {
      orderId: order.orderId,
      status: order.status,
    });
  }
  return [{
    type: 'CancellationRequested',
    data: {
      ...fact(order, context),
      reason: command.reason.trim(),
      initiatedBy: command.initiatedBy,
      requestedBy: context.actor.id,
      note: optionalText(command.note),
    },
  }];
}

function requireApprover(context: Context, action: string): void {
  if (!hasRole(context.actor, 'approver')) {
    throw new DomainError('forbidden', `the approver role is required to ${action} a cancellation`, { actorId: context.actor.id });
  }
}

function requirePendingCancellation(order: Order): NonNullable<Order['cancellation']> {
  requireNotFinished(order);
  if (order.cancellation?.state !== 'requested') refuse(order, 'no cancellation of this order is pending review');
  return order.cancellation;
}

function approveCancellation(command: ApproveCancellation, state: OrderState, context: Context): OrderEvent[] {
  requireApprover(context, 'approve');
  const order = existing(state, command.orderId);
  const pending = requirePendingCancellation(order);
  if (pending.requestedBy === context.actor.id) {
    throw new DomainError('self_approval', 'the requester of a cancellation cannot approve it', { orderId: order.orderId, actorId: context.actor.id });
  }
  const { penalty, goodwillCoupon } = command;
  new FieldChecks()
    .require(isOptionalText(command.note), 'note', 'must be text')
    .require(command.refundMethod == null || REFUND_METHODS.includes(command.refundMethod), 'refundMethod', `must be one of ${REFUND_METHODS.join(', ')}`)
    .require(penalty == null || order.kind === 'purchase', 'penalty', 'applies to purchase orders only')
    .require(penalty == null || isPositiveInteger(penalty.amount), 'penalty.amount', 'must be a positive integer (minor units)')
    .require(penalty == null || PENALTY_PAYERS.includes(penalty.payer), 'penalty.payer', `must be one of ${PENALTY_PAYERS.join(', ')}`)
    .require(goodwillCoupon == null || pending.initiatedBy === 'customer', 'goodwillCoupon', 'only accompanies a cancellation the customer asked for')
    .require(goodwillCoupon == null || isNonEmptyText(goodwillCoupon.code), 'goodwillCoupon.code', 'is required')
    .require(goodwillCoupon == null || isPositiveInteger(goodwillCoupon.amount), 'goodwillCoupon.amount', 'must be a positive integer (minor units)')
    .throwIfAny();
  const events: OrderEvent[] = [{
    type: 'CancellationApproved',
    data: {
      ...fact(order, context),
      approvedBy: context.actor.id,
      note: optionalText(command.note),
      outcome: cancellationOutcome(order),
      refundMethod: order.kind === 'sale' ? command.refundMethod ?? 'original' : null,
      penalty: penalty == null ? null : { amount: penalty.amount, payer: penalty.payer },
    },
  }];
  if (goodwillCoupon != null) {
    events.push({
      type: 'GoodwillCouponIssued',
      data: {
        ...fact(order, context),
        customerId: order.partyId,
        code: goodwillCoupon.code.trim(),
        amount: goodwillCoupon.amount,
        currency: order.currency,
      },
    });
  }
  return events;
}

function cancellationOutcome(order: Order): CancellationOutcome {
  if (order.kind === 'sale') return order.status === 'placed' || order.status === 'processing' ? 'release_and_refund' : 'return_and_refund';
  return order.status === 'placed' ? 'cancel_purchase' : 'close_remainder';
}

function rejectCancellation(command: RejectCancellation, state: OrderState, context: Context): OrderEvent[] {
  requireApprover(context, 'reject');
  const order = existing(state, command.orderId);
  new FieldChecks().require(isNonEmptyText(command.reason), 'reason', 'is required').throwIfAny();
  requirePendingCancellation(order);
  return [{ type: 'CancellationRejected', data: { ...fact(order, context), rejectedBy: context.actor.id, reason: command.reason.trim() } }];
}

function withdrawCancellation(_command: WithdrawCancellation, order: Order, context: Context): OrderEvent[] {
  const pending = requirePendingCancellation(order);
  if (pending.requestedBy !== context.actor.id) {
    throw new DomainError('forbidden', 'only the requester can withdraw a cancellation request', {
      orderId: order.orderId,
      requestedBy: pending.requestedBy,
      actorId: context.actor.id,
    });
  }
  return [{ type: 'CancellationWithdrawn', data: { ...fact(order, context), withdrawnBy: context.actor.id } }];
}

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

function completeCancellation(_command: CompleteCancellation, order: Order, context: Context): OrderEvent[] {
  if (order.status === 'cancelled') return [];
  requireNotFinished(order);
  const outcome = order.cancellation?.state === 'approved' ? order.cancellation.outcome : null;
  if (outcome === null || outcome === 'close_remainder') refuse(order, 'no approved cancellation ends in cancelling this order');
  if (outcome === 'return_and_refund' && !isEverythingReturned(order)) refuse(order, 'shipped goods are still to come back');
  return [{ type: 'OrderCancelled', data: fact(order, context) }];
}

function closeOrder(_command: CloseOrder, order: Order, context: Context): OrderEvent[] {
  if (order.status === 'closed') return [];
  requireNotFinished(order);
  if (order.cancellation?.state !== 'approved' || order.cancellation.outcome !== 'close_remainder') {
    refuse(order, 'only a partly received purchase order with an approved cancellation is closed');
  }
  return [{ type: 'OrderClosed', data: fact(order, context) }];
}
