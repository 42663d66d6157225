import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { assertNever } from '../shared/event.js';
import { FieldChecks, isCurrencyCode, isNonEmptyText, isNonNegativeInteger, isPositiveInteger } from '../shared/validation.js';
import {
  type CommitFunds,
  type IssueRefund,
  PENALTY_PAYERS,
  type PaymentCommand,
  type ReceiveSupplierRefund,
  type RecordCreditPayment,
  type RecordPayment,
  type RecordPenalty,
  type RecordSupplierRefundDue,
  REFUND_METHODS,
  type ReleaseFunds,
} from './commands.js';
import { type PaymentEvent, paymentIdAt, type RefundIssued } from './events.js';
import { type Payment } from './state.js';

export function decide(command: PaymentCommand, payment: Payment, context: Context): PaymentEvent[] {
  switch (command.type) {
    case 'RecordPayment': return recordPayment(command, payment, context.now);
    case 'RecordCreditPayment': return recordCreditPayment(command, payment, context.now);
    case 'IssueRefund': return issueRefund(command, payment, context.now);
    case 'CommitFunds': return commitFunds(command, payment);
    case 'ReleaseFunds': return releaseFunds(command, payment);
    case 'RecordSupplierRefundDue': return recordSupplierRefundDue(command, payment);
    case 'ReceiveSupplierRefund': return receiveSupplierRefund(command, payment);
    case 'RecordPenalty': return recordPenalty(command, payment);
    default: return assertNever(command);
  }
}

function recordPayment(command: RecordPayment, payment: Payment, at: string): PaymentEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.amount), 'amount', 'must be a positive integer (minor units)')
    .require(isNonEmptyText(command.method), 'method', 'is required')
    .throwIfAny();
  const { terms } = command;
  requireOutstanding(command.orderId, command.amount, terms, payment);
  const method = command.method.trim();
  if (terms.kind === 'purchase') return [{ type: 'DepositPaid', data: { orderId: command.orderId, amount: command.amount, currency: terms.currency, method } }];
  const paymentId = paymentIdAt(payment.payments.length + 1);
  return [{ type: 'PaymentReceived', data: { orderId: command.orderId, amount: command.amount, currency: terms.currency, method, paymentId, at } }];
}

/** The order takes money and `amount` is within what is outstanding; else 409 (`invalid_transition`, `overpayment`). */
function requireOutstanding(orderId: string, amount: number, terms: RecordPayment['terms'], payment: Payment): void {
  if (!terms.open) throw new DomainError('invalid_transition', 'the order no longer accepts payments', { orderId });
  // A sale owes its amount due less what it kept (refunds give money back); a purchase takes deposits up to its total.
  const alreadyPaid = terms.kind === 'sale' ? payment.paid - payment.refunded : payment.deposits;
  const outstanding = Math.max(0, terms.total - alreadyPaid);
  if (amount > outstanding) {
    throw new DomainError('overpayment', 'the amount is more than what is outstanding on the order', {
      orderId,
      amount,
      outstanding,
      total: terms.total,
      paid: terms.kind === 'sale' ? payment.paid : payment.deposits,
      ...(terms.kind === 'sale' ? { refunded: payment.refunded } : {}),
    });
  }
}

/**
 * A store credit payment with the id its spend reserved: recorded once (a repeat emits nothing); refused when the
 * id is no longer the next one (another payment came first) or the order no longer takes it, and then the order's
 * process gives the credit back.
 */
function recordCreditPayment(command: RecordCreditPayment, payment: Payment, at: string): PaymentEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.amount), 'amount', 'must be a positive integer (minor units)')
    .require(command.terms.kind === 'sale', 'method', 'store_credit pays sale orders only')
    .throwIfAny();
  const existing = payment.payments.find((entry) => entry.paymentId === command.paymentId);
  if (existing !== undefined && existing.method === 'store_credit' && existing.amount === command.amount) return [];
  if (command.paymentId !== paymentIdAt(payment.payments.length + 1)) {
    throw new DomainError('invalid_transition', 'another payment of the order was recorded first', { orderId: command.orderId, paymentId: command.paymentId });
  }
  requireOutstanding(command.orderId, command.amount, command.terms, payment);
  return [{
    type: 'PaymentReceived',
    data: { orderId: command.orderId, amount: command.amount, currency: command.terms.currency, method: 'store_credit', paymentId: command.paymentId, at },
  }];
}

function issueRefund(command: IssueRefund, payment: Payment, at: string): PaymentEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.refundedTotal), 'refundedTotal', 'must be a non-negative integer (minor units)')
    .require(REFUND_METHODS.includes(command.method), 'method', `must be one of ${REFUND_METHODS.join(', ')}`)
    .require(isCurrencyCode(command.currency), 'currency', 'must be a three-letter currency code')
    .throwIfAny();
  if (command.refundedTotal <= payment.refunded) return [];
  if (command.refundedTotal > payment.paid) {
    throw new DomainError('refund_exceeds_paid', 'a refund may not exceed what was paid', {
      orderId: command.orderId,
      refundedTotal: command.refundedTotal,
      paid: payment.paid,
      refunded: payment.refunded,
    });
  }
  const amount = command.refundedTotal - payment.refunded;
  const base = { orderId: command.orderId, currency: command.currency, requestedMethod: command.method, at };
  if (command.method !== 'original') return [{ type: 'RefundIssued', data: { ...base, amount, method: command.method, paymentId: null } }];
  return splitOverPayments(payment, amount).map((part): RefundIssued => ({ type: 'RefundIssued', data: { ...base, ...part } }));
}

/**
 * `original`: the amount split over the payments latest first, each part back by its payment's route and never
 * more than that payment brought less what went back against it. Refunds that named no payment (by cash, or v1
 * `original` ones) are not charged to any, so the parts can always cover the amount: Σ (amount − refunded) over the
 * payments ≥ paid − refunded ≥ amount.
 */
function splitOverPayments(payment: Payment, amount: number): { amount: number; method: string; paymentId: string }[] {
  const parts: { amount: number; method: string; paymentId: string }[] = [];
  let rest = amount;
  for (const entry of [...payment.payments].reverse()) {
    if (rest === 0) break;
    const part = Math.min(rest, entry.amount - entry.refunded);
    if (part <= 0) continue;
    parts.push({ amount: part, method: entry.method, paymentId: entry.paymentId });
    rest -= part;
  }
  return parts;
}

function commitFunds(command: CommitFunds, payment: Payment): PaymentEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.amount), 'amount', 'must be a positive integer (minor units)')
    .require(isCurrencyCode(command.currency), 'currency', 'must be a three-letter currency code')
    .throwIfAny();
  if (payment.committed > 0) return [];
  return [{ type: 'FundsCommitted', data: { orderId: command.orderId, amount: command.amount, currency: command.currency } }];
}

function releaseFunds(command: ReleaseFunds, payment: Payment): PaymentEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.releasedTotal), 'releasedTotal', 'must be a non-negative integer (minor units)')
    .require(isCurrencyCode(command.currency), 'currency', 'must be a three-letter currency code')
    .throwIfAny();
  if (command.releasedTotal <= payment.fundsReleased) return [];
  if (command.releasedTotal > payment.committed) {
    throw new DomainError('invalid_transition', 'cannot release more funds than were committed', {
      orderId: command.orderId,
      releasedTotal: command.releasedTotal,
      committed: payment.committed,
    });
  }
  return [{
    type: 'FundsReleased',
    data: { orderId: command.orderId, amount: command.releasedTotal - payment.fundsReleased, currency: command.currency },
  }];
}

function recordSupplierRefundDue(command: RecordSupplierRefundDue, payment: Payment): PaymentEvent[] {
  new FieldChecks()
    .require(isNonNegativeInteger(command.dueTotal), 'dueTotal', 'must be a non-negative integer (minor units)')
    .require(isCurrencyCode(command.currency), 'currency', 'must be a three-letter currency code')
    .throwIfAny();
  if (command.dueTotal <= payment.supplierRefundDue) return [];
  // Deposits beyond the goods kept, plus goods sent back at the purchase price: never more than was paid or committed.
  if (command.dueTotal > Math.max(payment.deposits, payment.committed)) {
    throw new DomainError('refund_exceeds_paid', 'the supplier cannot owe back more than the deposits paid or the goods committed for', {
      orderId: command.orderId,
      dueTotal: command.dueTotal,
      deposits: payment.deposits,
      committed: payment.committed,
    });
  }
  return [{
    type: 'SupplierRefundDue',
    data: { orderId: command.orderId, amount: command.dueTotal - payment.supplierRefundDue, currency: command.currency },
  }];
}

function receiveSupplierRefund(command: ReceiveSupplierRefund, payment: Payment): PaymentEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.amount), 'amount', 'must be a positive integer (minor units)')
    .require(isNonEmptyText(command.method), 'method', 'is required')
    .throwIfAny();
  const outstanding = payment.supplierRefundDue - payment.supplierRefundReceived;
  if (command.amount > outstanding || payment.currency === null) {
    throw new DomainError('overpayment', 'the amount is more than the supplier still owes back', {
      orderId: command.orderId,
      amount: command.amount,
      outstanding,
    });
  }
  return [{
    type: 'SupplierRefundReceived',
    data: { orderId: command.orderId, amount: command.amount, currency: payment.currency, method: command.method.trim() },
  }];
}

function recordPenalty(command: RecordPenalty, payment: Payment): PaymentEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.amount), 'amount', 'must be a positive integer (minor units)')
    .require(PENALTY_PAYERS.includes(command.payer), 'payer', `must be one of ${PENALTY_PAYERS.join(', ')}`)
    .require(isCurrencyCode(command.currency), 'currency', 'must be a three-letter currency code')
    .throwIfAny();
  if (payment.penalty !== null) return [];
  return [{
    type: 'PenaltyRecorded',
    data: { orderId: command.orderId, amount: command.amount, currency: command.currency, payer: command.payer },
  }];
}
