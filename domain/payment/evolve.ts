import { type PaymentEvent } from './events.js';
import { type Payment } from './state.js';

export function evolve(payment: Payment, event: PaymentEvent): Payment {
  const current = { ...payment, orderId: event.data.orderId, currency: payment.currency ?? event.data.currency };
  const { amount } = event.data;
  switch (event.type) {
    case 'PaymentReceived': return { ...current, paid: current.paid + amount };
    case 'RefundIssued': return { ...current, refunded: current.refunded + amount };
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
