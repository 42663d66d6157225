import { type PaymentTerms } from '../payment/commands.js';
import { amountDue, isFinished, isWholeCancellationApproved, type Order, orderTotal } from './state.js';

/**
 * What the payment decider needs to know about the order, read from the order's state.
 * `total`: what the customer owes for a sale (`amountDue`: every unit neither cancelled nor returned, at its
 * line price); a purchase's total as placed. An order takes money while it is live: not rejected, cancelled or
 * closed, not `returning`, no whole-order cancellation approved (a payment racing an approval is refunded by the
 * cancellation process), placement finished. After an approved partial cancellation a sale stays open, and a
 * `closed` sale (part cancelled, or the customer kept some of a returned order) still takes what the customer owes
 * for the goods it kept: closing ends the fulfilment, not the debt.
 */
export function paymentTerms(order: Order): PaymentTerms {
  return { kind: order.kind, total: order.kind === 'sale' ? amountDue(order) : orderTotal(order), currency: order.currency, open: takesMoney(order) };
}

function takesMoney(order: Order): boolean {
  if (order.reservation === 'pending') return false;
  if (order.kind === 'sale' && order.status === 'closed') return true;
  return !isFinished(order)
    && order.status !== 'returning'
    && !isWholeCancellationApproved(order)
    && !(order.kind === 'purchase' && order.cancellation?.state === 'approved');
}
