import { type PaymentTerms } from '../payment/commands.js';
import { type Order, isFinished, orderTotal } from './state.js';

/**
 * What the payment decider needs to know about the order, read from the order's state.
 * An order takes money while it is live: not rejected, cancelled or closed, placement finished,
 * no approved cancellation (a payment racing an approval is refunded by the cancellation process).
 */
export function paymentTerms(order: Order): PaymentTerms {
  const open = !isFinished(order) && order.reservation !== 'pending' && order.cancellation?.state !== 'approved';
  return { kind: order.kind, total: orderTotal(order), currency: order.currency, open };
}
