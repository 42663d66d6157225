import { type RefundMethod } from '../payment/commands.js';
import { amountDue, type Order } from '../order/state.js';
import { type Payment } from '../payment/state.js';
import { paymentStep, type PlacedOrderStates, type ProcessStep } from './step.js';

/**
 * What the customer should have got back in all: everything paid beyond what is owed now (`amountDue`: units
 * neither cancelled nor returned, at their line prices; nothing for a rejected sale). So a cancellation refunds
 * the cancelled value of a paid order, a returned unit its line price once it is back, an amendment below what
 * was paid the difference, a payment racing a cancellation all of it, and never more than was paid.
 */
export function refundTarget(order: Order, payment: Payment): number {
  const owed = order.status === 'rejected' ? 0 : amountDue(order);
  return Math.max(0, payment.paid - owed);
}

/** The approved cancellation's method while the latest cancellation is approved; otherwise the original route. */
function refundMethod(order: Order): RefundMethod {
  return order.cancellation?.state === 'approved' ? order.cancellation.refundMethod ?? 'original' : 'original';
}

/** `IssueRefund` up to the target (cumulative: a repeat, or an older and smaller target, refunds nothing more). */
export function nextSaleRefundStep({ order, payment }: PlacedOrderStates): ProcessStep | null {
  if (order.kind !== 'sale') return null;
  const target = refundTarget(order, payment);
  if (payment.refunded >= target) return null;
  return paymentStep(order, `refund:${target}`, {
    type: 'IssueRefund',
    orderId: order.orderId,
    refundedTotal: target,
    method: refundMethod(order),
    currency: order.currency,
  });
}
