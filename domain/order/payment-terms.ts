import { type PaymentTerms } from '../payment/commands.js';
import { amountDue, isFinished, isWholeCancellationApproved, type Order, orderTotal } from './state.js';

/**
 * What the payment decider needs to know about the order, read from the order's state.
 * `total`: what the customer owes for a sale (`amountDue`: every unit neither cancelled nor returned, at its
 * line price); a purchase's total as placed. An order takes money while it is live: not rejected, cancelled or
 * closed, not `returning`, no whole-order cancellation approved (a payment racing an approval is refunded by the
 * cancellation process), placement finished. After an approved partial cancellation a sale stays open.
 */
export function paymentTerms(order: Order): PaymentTerms {
  const open = !isFinished(order)
    && order.status !== 'returning'
    && !isWholeCancellationApproved(order)
    && !(order.kind === 'purchase' && order.cancellation?.state === 'approved')
    && order.reservation !== 'pending';
  return { kind: order.kind, total: order.kind === 'sale' ? amountDue(order) : orderTotal(order), currency: order.currency, open };
}
