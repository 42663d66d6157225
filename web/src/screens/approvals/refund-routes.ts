// Where a refund's money goes (API.md "Money"): `original` splits it over the order's payments, latest
// first, never giving more back through a payment than it brought (less what was already refunded through
// it); `cash` and `store_credit` are one route the approver chose. The server decides the real split; this
// is the preview the approver reads before approving, from the order view's `payments` and `refunds`.
import type { Payment, Refund, RefundMethod } from '../../api/types';

/** One part of a refund: the concrete route and the payment it reverses (null when the approver chose the route). */
export interface RefundPart {
  readonly method: string;
  readonly paymentId: string | null;
  readonly amount: number;
}

/**
 * What each payment can still give back: what it brought less the refunds that name it. Refunds that name
 * no payment (older ones, or by cash or store credit) are taken from the latest payments first, as the
 * original route would have taken them, so no payment is counted twice.
 */
export function refundableByPayment(payments: readonly Payment[], refunds: readonly Refund[]): Map<string, number> {
  const left = new Map<string, number>(payments.map((payment) => [payment.paymentId, payment.amount]));
  for (const refund of refunds) {
    if (refund.paymentId !== null && left.has(refund.paymentId)) left.set(refund.paymentId, Math.max(0, (left.get(refund.paymentId) ?? 0) - refund.amount));
  }
  let unassigned = refunds.filter((refund) => refund.paymentId === null || !left.has(refund.paymentId)).reduce((total, refund) => total + refund.amount, 0);
  for (const payment of latestFirst(payments)) {
    if (unassigned <= 0) break;
    const taken = Math.min(unassigned, left.get(payment.paymentId) ?? 0);
    left.set(payment.paymentId, (left.get(payment.paymentId) ?? 0) - taken);
    unassigned -= taken;
  }
  return left;
}

/** Latest payment first (by time; for the same time, the later in the list first). */
function latestFirst(payments: readonly Payment[]): Payment[] {
  return payments
    .map((payment, index) => ({ payment, index }))
    .sort((a, b) => b.payment.at.localeCompare(a.payment.at) || b.index - a.index)
    .map(({ payment }) => payment);
}

/**
 * The parts of a refund of `amount` by `method`. For `original`: over the payments latest first, each at
 * most what it can still give back; whatever no payment covers (the order view lists no payments, or they
 * were already refunded) is a part with method `original` and no payment, so the total is always `amount`.
 */
export function refundRoutes(amount: number, method: RefundMethod, payments: readonly Payment[] = [], refunds: readonly Refund[] = []): RefundPart[] {
  if (amount <= 0) return [];
  if (method !== 'original') return [{ method, paymentId: null, amount }];
  const left = refundableByPayment(payments, refunds);
  const parts: RefundPart[] = [];
  let rest = amount;
  for (const payment of latestFirst(payments)) {
    if (rest <= 0) break;
    const part = Math.min(rest, left.get(payment.paymentId) ?? 0);
    if (part <= 0) continue;
    parts.push({ method: payment.method, paymentId: payment.paymentId, amount: part });
    rest -= part;
  }
  if (rest > 0) parts.push({ method: 'original', paymentId: null, amount: rest });
  return parts;
}
