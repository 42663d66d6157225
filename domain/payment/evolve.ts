import { type PaymentEvent, paymentIdOf } from './events.js';
import { type Payment } from './state.js';

export function evolve(payment: Payment, event: PaymentEvent): Payment {
  const current = { ...payment, orderId: event.data.orderId, currency: payment.currency ?? event.data.currency };
  const { amount } = event.data;
  switch (event.type) {
    case 'PaymentReceived': {
      const entry = { paymentId: paymentIdOf(event, current.payments.length), method: event.data.method, amount, refunded: 0, at: event.data.at ?? null };
      return { ...current, paid: current.paid + amount, payments: [...current.payments, entry] };
    }
    case 'RefundIssued': {
      const { paymentId, method } = event.data;
      return {
        ...current,
        refunded: current.refunded + amount,
        refunds: [...current.refunds, { method, amount, paymentId, at: event.data.at ?? null }],
        refundedAsCredit: current.refundedAsCredit + (method === 'store_credit' ? amount : 0),
        payments: paymentId === null ? current.payments : current.payments.map((entry) => entry.paymentId === paymentId ? { ...entry, refunded: entry.refunded + amount } : entry),
      };
    }
    case 'FundsCommitted': return { ...current, committed: current.committed + amount };
    case 'FundsReleased': return { ...current, fundsReleased: current.fundsReleased + amount };
    case 'DepositPaid': return { ...current, deposits: current.deposits + amount };
    case 'SupplierRefundDue': return { ...current, supplierRefundDue: current.supplierRefundDue + amount };
    case 'SupplierRefundReceived': return { ...current, supplierRefundReceived: current.supplierRefundReceived + amount };
    case 'PenaltyRecorded': return { ...current, penalty: { amount, payer: event.data.payer } };
    default: {
      const _unknown: never = event;
      return payment;
    }
  }
}
