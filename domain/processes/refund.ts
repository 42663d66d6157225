import { type Order } from '../order/state.js';
import { type Payment } from '../payment/state.js';
import { paymentStep, type ProcessStep } from './step.js';

/** Refund the customer everything paid: the target is `refunded == paid`, so a late payment is refunded too. */
export function refundEverythingPaid(order: Order, payment: Payment): ProcessStep | null {
  if (payment.refunded >= payment.paid) return null;
  return paymentStep(order, `refund:${payment.paid}`, {
    type: 'IssueRefund',
    orderId: order.orderId,
    refundedTotal: payment.paid,
    method: order.cancellation?.refundMethod ?? 'original',
    currency: order.currency,
  });
}
