import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks } from '../shared/validation.js';
import { type OrderCommand } from './commands.js';
import { type OrderEvent } from './events.js';
import { isFinished, isWholeCancellationApproved, lineOf, type Order, type OrderState, pendingAmendment } from './state.js';

/** The checks and helpers the order's workflows share (placement, fulfilment, cancellation, returns, amendments, holds, closing). */

/** How one command is decided on the order's state. */
export type Decision<C extends OrderCommand> = (command: C, state: OrderState, context: Context) => OrderEvent[];

/** Each workflow's commands, by type: decide.ts spreads the workflows' tables into one that must cover every command. */
export type DecisionTable<T extends OrderCommand['type'] = OrderCommand['type']> = { readonly [K in T]: Decision<Extract<OrderCommand, { type: K }>> };

/** A decision on an order that must exist (not_found otherwise). */
export function onExisting<C extends OrderCommand>(decide: (command: C, order: Order, context: Context) => OrderEvent[]): Decision<C> {
  return (command, state, context) => decide(command, existing(state, command.orderId), context);
}

export function existing(state: OrderState, orderId: string): Order {
  if (state === null) throw new DomainError('not_found', `order ${orderId} does not exist`, { orderId });
  return state;
}

/** The fields every order event starts with. */
export const fact = (order: Order, context: Context) => ({ orderId: order.orderId, at: context.now });

export function refuse(order: Order, message: string, details: Record<string, unknown> = {}): never {
  throw new DomainError('invalid_transition', message, { orderId: order.orderId, status: order.status, ...details });
}

export function requireKind(order: Order, kind: Order['kind'], action: string): void {
  if (order.kind !== kind) refuse(order, `only ${kind} orders can be ${action}`, { kind: order.kind });
}

/** Rejected, cancelled and closed orders refuse everything but reads. */
export function requireNotFinished(order: Order): void {
  if (isFinished(order)) refuse(order, `the order is ${order.status}`);
}

/** The sale placement process has not finished reserving every line yet. */
export function requireReservationComplete(order: Order): void {
  if (order.reservation === 'pending') refuse(order, 'the stock reservation of this order is still in progress');
}

/**
 * Fulfilment waits while a cancellation is pending and stops once a whole-order cancellation (any purchase
 * cancellation) is approved; after an approved partial cancellation of a sale the rest goes on.
 */
export function requireNoCancellation(order: Order): void {
  requireNoPendingCancellation(order);
  if (order.cancellation?.state === 'approved' && (order.kind === 'purchase' || isWholeCancellationApproved(order))) {
    refuse(order, 'the order is being cancelled');
  }
}

export function requireNoPendingCancellation(order: Order): void {
  if (order.cancellation?.state === 'requested') {
    throw new DomainError('cancellation_pending', 'a cancellation of this order is pending review', { orderId: order.orderId });
  }
}

/** Held orders refuse fulfilment (process, ship, deliver, receive) with `on_hold`; the rest still works. */
export function requireNotOnHold(order: Order): void {
  if (order.onHold !== null) {
    throw new DomainError('on_hold', `the order is on hold: ${order.onHold.reason}`, { orderId: order.orderId, reason: order.onHold.reason, by: order.onHold.by });
  }
}

/** An amendment being reserved blocks what would change the lines under it. */
export function requireNoPendingAmendment(order: Order): void {
  const pending = pendingAmendment(order);
  if (pending !== null) refuse(order, `amendment ${pending.amendmentNo} of this order is still being reserved`, { amendmentNo: pending.amendmentNo });
}

/** Validates lines that name skus of the order (with the command's other `checks`, reported together); sums quantities per sku. */
export function quantitiesBySku<Line extends { sku: string; quantity: number }>(
  order: Order,
  lines: readonly Line[],
  checkLine: (line: Line, index: number, checks: FieldChecks) => void,
  checks: FieldChecks = new FieldChecks(),
): Map<string, number> {
  checks.require(Array.isArray(lines) && lines.length > 0, 'lines', 'must list at least one line');
  const totals = new Map<string, number>();
  (Array.isArray(lines) ? lines : []).forEach((line, index) => {
    checks.require(lineOf(order, line.sku) !== undefined, `lines[${index}].sku`, 'is not on this order');
    checkLine(line, index, checks);
    totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  });
  checks.throwIfAny();
  return totals;
}
