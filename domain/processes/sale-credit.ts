import { type Order } from '../order/state.js';
import { paymentTerms } from '../order/payment-terms.js';
import { hasGoodwillGrant, refundCreditGranted } from '../credit/state.js';
import { paymentIdAt } from '../payment/events.js';
import { creditStep, paymentStep, type PlacedOrderStates, type ProcessStep } from './step.js';

/**
 * A payment drawn on store credit spans two streams: the spend (`CreditSpent` on `credit-<customer>`, the decision:
 * 409 insufficient_credit) and the payment (`PaymentReceived {method: store_credit}` with the same `paymentId` on
 * `payment-<order>`). This step finishes a spend whose payment is not recorded: it records it while the order can take
 * it under that id, else gives the credit back (`CreditGranted`, source `refund`, entry `<spend>-back`). Run inline
 * after the spend and by recovery (a `CreditSpent` names its order), so a crash between the two ends the same way.
 */
export function nextCreditPaymentStep({ order, payment, credit }: PlacedOrderStates): ProcessStep | null {
  if (order.kind !== 'sale' || credit === undefined) return null;
  for (const spend of credit.spends) {
    if (spend.orderId !== order.orderId || spend.restored) continue;
    const recorded = payment.payments.find((entry) => entry.paymentId === spend.paymentId);
    if (recorded !== undefined && recorded.method === 'store_credit' && recorded.amount === spend.amount) continue;
    if (recorded === undefined && canTake(order, payment, spend.paymentId, spend.amount, spend.currency)) {
      return paymentStep(order, `credit-payment:${spend.paymentId}`, {
        type: 'RecordCreditPayment',
        orderId: order.orderId,
        paymentId: spend.paymentId,
        amount: spend.amount,
        terms: paymentTerms(order),
      });
    }
    return creditStep(order, `credit-back:${spend.entryId}`, { type: 'RestoreCredit', customerId: order.partyId, spendEntryId: spend.entryId });
  }
  return null;
}

function canTake(order: Order, payment: PlacedOrderStates['payment'], paymentId: string, amount: number, currency: string): boolean {
  const terms = paymentTerms(order);
  if (!terms.open || currency !== order.currency || paymentId !== paymentIdAt(payment.payments.length + 1)) return false;
  return amount <= Math.max(0, terms.total - (payment.paid - payment.refunded));
}

/**
 * The reason of an approval's goodwill grant, as finance reads it (the voucher's summary): the order's document
 * number and the approval's time. It names the approval, so each approval's goodwill is granted once.
 */
const goodwillReason = (order: Order, code: string | null, approvedAt: string): string =>
  `goodwill${code === null ? '' : ` ${code}`}: cancellation of ${order.number === '' ? `order ${order.orderId}` : order.number} approved at ${approvedAt}`;

/**
 * Store credit the order's facts call for: refunds paid as store credit (`RefundIssued.method` store_credit, by the
 * approver's choice or reversing a store credit payment), granted up to their total (source `refund`), and the
 * approved cancellation's goodwill gesture (source `goodwill`, with its expiry).
 */
export function nextCreditGrantStep({ order, payment, credit }: PlacedOrderStates): ProcessStep | null {
  if (order.kind !== 'sale' || credit === undefined) return null;
  const customerId = order.partyId;
  if (payment.refundedAsCredit > refundCreditGranted(credit, order.orderId)) {
    return creditStep(order, `credit-refund:${payment.refundedAsCredit}`, {
      type: 'GrantRefundCredit',
      customerId,
      orderId: order.orderId,
      refundedTotal: payment.refundedAsCredit,
      currency: order.currency,
    });
  }
  const cancellation = order.cancellation;
  const coupon = cancellation?.state === 'approved' ? cancellation.goodwillCoupon : null;
  if (coupon != null && cancellation !== null) {
    const reason = goodwillReason(order, coupon.code, cancellation.decidedAt ?? order.updatedAt);
    if (!hasGoodwillGrant(credit, order.orderId, reason)) {
      return creditStep(order, `goodwill:${cancellation.decidedAt ?? ''}`, {
        type: 'GrantGoodwillCredit',
        customerId,
        orderId: order.orderId,
        amount: coupon.amount,
        currency: order.currency,
        expiresAt: coupon.expiresAt,
        reason,
      });
    }
  }
  return null;
}
