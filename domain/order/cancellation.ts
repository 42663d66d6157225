import { type Context, hasRole } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText, isOptionalText, isPositiveInteger, optionalText } from '../shared/validation.js';
import { PENALTY_PAYERS, REFUND_METHODS } from '../payment/commands.js';
import {
  type ApproveCancellation,
  INITIATORS,
  type RejectCancellation,
  type RequestCancellation,
  type WithdrawCancellation,
} from './commands.js';
import { type CancellationOutcome, type CancellationScope, type OrderEvent, type SkuQuantity } from './events.js';
import {
  type DecisionTable,
  existing,
  fact,
  onExisting,
  quantitiesBySku,
  refuse,
  requireNoPendingAmendment,
  requireNoPendingCancellation,
  requireNotFinished,
  requireReservationComplete,
} from './guards.js';
import { perLine } from './lines.js';
import {
  type Cancellation,
  isWholeCancellationApproved,
  lineOf,
  type Order,
  type OrderLine,
  type OrderState,
  returnedQuantity,
  unshippedQuantity,
} from './state.js';

/**
 * Cancellation review: a request (of the whole order, of some `lines`, or of the unshipped `remainder`), then
 * four-eyes approval or rejection by an approver, or withdrawal by its requester. What an approval sets in
 * motion (releases, a return of shipped units, refunds) ends in returns.ts and closing.ts.
 */

function requestCancellation(command: RequestCancellation, order: Order, context: Context): OrderEvent[] {
  const { scope, lines } = validateRequest(command, order);
  requireNotFinished(order);
  requireReservationComplete(order);
  requireNoPendingCancellation(order);
  if (order.cancellation?.state === 'approved' && (order.kind === 'purchase' || isWholeCancellationApproved(order))) {
    refuse(order, 'the order is already being cancelled');
  }
  requireNoPendingAmendment(order);
  if (order.status === 'received') {
    throw new DomainError('not_cancellable', 'a fully received purchase order cannot be cancelled: record a purchase return instead', {
      orderId: order.orderId,
      status: order.status,
    });
  }
  requireSomethingToCancel(order, scope, lines);
  return [{
    type: 'CancellationRequested',
    data: {
      ...fact(order, context),
      scope,
      lines,
      reason: command.reason.trim(),
      initiatedBy: command.initiatedBy,
      requestedBy: context.actor.id,
      note: optionalText(command.note),
    },
  }];
}

/** The fields, and what the request covers: `lines` (sale only), `remainder`, or (neither) the whole order. */
function validateRequest(command: RequestCancellation, order: Order): { scope: CancellationScope; lines: SkuQuantity[] } {
  const hasLines = command.lines != null;
  const hasScope = command.scope != null;
  const checks = new FieldChecks()
    .require(isNonEmptyText(command.reason), 'reason', 'is required')
    .require(INITIATORS.includes(command.initiatedBy), 'initiatedBy', `must be one of ${INITIATORS.join(', ')}`)
    .require(isOptionalText(command.note), 'note', 'must be text')
    .require(!hasScope || command.scope === 'remainder', 'scope', 'must be remainder')
    .require(!(hasLines && hasScope), 'scope', 'cannot be combined with lines')
    .require(!hasLines || order.kind === 'sale', 'lines', 'applies to sale orders')
    .require(!hasScope || order.kind === 'sale', 'scope', 'applies to sale orders');
  if (!hasLines || order.kind !== 'sale') {
    checks.throwIfAny();
    return { scope: hasScope ? 'remainder' : 'whole', lines: [] };
  }
  const asked = quantitiesBySku(order, command.lines!, (line, index, lineChecks) => {
    lineChecks.require(isPositiveInteger(line.quantity), `lines[${index}].quantity`, 'must be a positive integer');
  }, checks);
  return { scope: 'lines', lines: [...asked].map(([sku, quantity]) => ({ sku, quantity })) };
}

/** Sale: units neither cancelled, returned nor on their way back can still be cancelled. */
const cancellableQuantity = (line: OrderLine): number => line.quantity - line.cancelled - returnedQuantity(line) - line.returnPending;

function requireSomethingToCancel(order: Order, scope: CancellationScope, lines: readonly SkuQuantity[]): void {
  if (order.kind !== 'sale') return;
  for (const { sku, quantity } of lines) {
    const line = lineOf(order, sku)!;
    if (quantity > cancellableQuantity(line)) {
      throw new DomainError('exceeds_ordered', `more ${sku} to cancel than is left on the order`, {
        orderId: order.orderId,
        sku,
        ordered: line.quantity,
        cancelled: line.cancelled,
        returned: returnedQuantity(line),
        returnPending: line.returnPending,
        requested: quantity,
      });
    }
  }
  if (scope === 'remainder' && perLine(order, unshippedQuantity).length === 0) refuse(order, 'nothing of this order is left unshipped');
  if (scope === 'whole' && perLine(order, cancellableQuantity).length === 0) refuse(order, 'nothing of this order is left to cancel');
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
  validateApproval(command, order, context.now);
  const { penalty, goodwillCoupon } = command;
  const { cancelledLines, returnLines } = approvalSplit(order, pending);
  const returnId = returnLines.length > 0 ? `R${order.returns.length + 1}` : null;
  const events: OrderEvent[] = [{
    type: 'CancellationApproved',
    data: {
      ...fact(order, context),
      approvedBy: context.actor.id,
      note: optionalText(command.note),
      outcome: cancellationOutcome(order, returnLines),
      refundMethod: order.kind === 'sale' ? command.refundMethod ?? 'original' : null,
      penalty: penalty == null ? null : { amount: penalty.amount, payer: penalty.payer },
      cancelledLines,
      returnLines,
      returnId,
    },
  }];
  if (returnId !== null) {
    events.push({
      type: 'ReturnRequested',
      data: { ...fact(order, context), returnId, origin: 'cancellation', lines: returnLines, reason: pending.reason, requestedBy: context.actor.id },
    });
  }
  if (goodwillCoupon != null) {
    events.push({
      type: 'GoodwillCouponIssued',
      data: {
        ...fact(order, context),
        customerId: order.partyId,
        code: optionalText(goodwillCoupon.code),
        amount: goodwillCoupon.amount,
        expiresAt: goodwillCoupon.expiresAt == null ? null : new Date(goodwillCoupon.expiresAt).toISOString(),
        currency: order.currency,
      },
    });
  }
  return events;
}

/**
 * Sale: what the approval cancels now (unshipped units, released by the process) and what goes back through a
 * return (shipped units still with the customer), per sku. `remainder`: only unshipped units; `lines`: unshipped
 * first, then shipped; whole: everything not cancelled, returned or on its way back. Purchases: nothing per line.
 */
function approvalSplit(order: Order, pending: Cancellation): { cancelledLines: SkuQuantity[]; returnLines: SkuQuantity[] } {
  if (order.kind !== 'sale') return { cancelledLines: [], returnLines: [] };
  const withCustomer = (line: OrderLine): number => line.shipped - returnedQuantity(line) - line.returnPending;
  if (pending.scope === 'remainder') return { cancelledLines: perLine(order, unshippedQuantity), returnLines: [] };
  if (pending.scope === 'whole') return { cancelledLines: perLine(order, unshippedQuantity), returnLines: perLine(order, withCustomer) };
  const cancelledLines: SkuQuantity[] = [];
  const returnLines: SkuQuantity[] = [];
  for (const { sku, quantity } of pending.lines) {
    const line = lineOf(order, sku);
    if (line === undefined) continue;
    const cancelled = Math.min(quantity, unshippedQuantity(line));
    const back = Math.min(quantity - cancelled, withCustomer(line));
    if (cancelled > 0) cancelledLines.push({ sku, quantity: cancelled });
    if (back > 0) returnLines.push({ sku, quantity: back });
  }
  return { cancelledLines, returnLines };
}

const isFutureInstant = (value: unknown, now: string): boolean =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)) && Date.parse(value) > Date.parse(now);

function validateApproval(command: ApproveCancellation, order: Order, now: string): void {
  const { penalty, goodwillCoupon } = command;
  new FieldChecks()
    .require(isOptionalText(command.note), 'note', 'must be text')
    .require(command.refundMethod == null || REFUND_METHODS.includes(command.refundMethod), 'refundMethod', `must be one of ${REFUND_METHODS.join(', ')}`)
    .require(penalty == null || order.kind === 'purchase', 'penalty', 'applies to purchase orders only')
    .require(penalty == null || isPositiveInteger(penalty.amount), 'penalty.amount', 'must be a positive integer (minor units)')
    .require(penalty == null || PENALTY_PAYERS.includes(penalty.payer), 'penalty.payer', `must be one of ${PENALTY_PAYERS.join(', ')}`)
    .require(goodwillCoupon == null || order.kind === 'sale', 'goodwillCoupon', 'applies to sale orders only')
    .require(goodwillCoupon == null || isOptionalText(goodwillCoupon.code), 'goodwillCoupon.code', 'must be text')
    .require(goodwillCoupon == null || isPositiveInteger(goodwillCoupon.amount), 'goodwillCoupon.amount', 'must be a positive integer (minor units)')
    .require(goodwillCoupon?.expiresAt == null || isFutureInstant(goodwillCoupon.expiresAt, now), 'goodwillCoupon.expiresAt', 'must be an ISO-8601 time in the future')
    .throwIfAny();
}

function cancellationOutcome(order: Order, returnLines: readonly SkuQuantity[]): CancellationOutcome {
  if (order.kind === 'sale') return returnLines.length > 0 ? 'return_and_refund' : 'release_and_refund';
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

/** The commands this workflow decides. */
export const cancellationReview: DecisionTable<'RequestCancellation' | 'ApproveCancellation' | 'RejectCancellation' | 'WithdrawCancellation'> = {
  RequestCancellation: onExisting(requestCancellation),
  ApproveCancellation: approveCancellation,
  RejectCancellation: rejectCancellation,
  WithdrawCancellation: onExisting(withdrawCancellation),
};
