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
import { type CancellationOutcome, type OrderEvent } from './events.js';
import { type DecisionTable, existing, fact, onExisting, refuse, requireNotFinished, requireReservationComplete } from './guards.js';
import { type Order, type OrderState } from './state.js';

/**
 * Cancellation review: a request, then four-eyes approval or rejection by an approver, or withdrawal by
 * its requester. What an approval sets in motion ends in returns.ts and closing.ts.
 */

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
  validateApproval(command, order, pending);
  const { penalty, goodwillCoupon } = command;
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

function validateApproval(command: ApproveCancellation, order: Order, pending: NonNullable<Order['cancellation']>): void {
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

/** The commands this workflow decides. */
export const cancellationReview: DecisionTable<'RequestCancellation' | 'ApproveCancellation' | 'RejectCancellation' | 'WithdrawCancellation'> = {
  RequestCancellation: onExisting(requestCancellation),
  ApproveCancellation: approveCancellation,
  RejectCancellation: rejectCancellation,
  WithdrawCancellation: onExisting(withdrawCancellation),
};
