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
  type RecordPayment,
  type RecordPenalty,
  type RecordSupplierRefundDue,
  REFUND_METHODS,
  type ReleaseFunds,
} from './commands.js';
import { type PaymentEvent } from './events.js';
import { type Payment } from './state.js';

export function decide(command: PaymentCommand, payment: Payment, _context: Context): PaymentEvent[] {
  switch (command.type) {
    case 'RecordPayment': return recordPayment(command, payment);
    case 'IssueRefund': return issueRefund(command, payment);
    case 'CommitFunds': return commitFunds(command, payment);
    case 'ReleaseFunds': return releaseFunds(command, payment);
    case 'RecordSupplierRefundDue': return recordSupplierRefundDue(command, payment);
    case 'ReceiveSupplierRefund': return receiveSupplierRefund(command, payment);
    case 'RecordPenalty': return recordPenalty(command, payment);
    default: return assertNever(command);
  }
}

function recordPayment(command: RecordPayment, payment: Payment): PaymentEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.amount), 'amount', 'must be a positive integer (minor units)')
    .require(isNonEmptyText(command.method), 'method', 'is required')
    .throwIfAny();
  const { terms } = command;
  if (!terms.open) throw new DomainError('invalid_transition', 'the order no longer accepts payments', { orderId: command.orderId });
  // A sale owes its amount due less what it kept (refunds give money back); a purchase takes deposits up to its total.
  const alreadyPaid = terms.kind === 'sale' ? payment.paid - payment.refunded : payment.deposits;
  const outstanding = Math.max(0, terms.total - alreadyPaid);
  if (command.amount > outstanding) {
    throw new DomainError('overpayment', 'the amount is more than what is outstanding on the order', {
      orderId: command.orderId,
      amount: command.amount,
      outstanding,
      total: terms.total,
      paid: terms.kind === 'sale' ? payment.paid : payment.deposits,
      ...(terms.kind === 'sale' ? { refunded: payment.refunded } : {}),
    });
  }
  const data = { orderId: command.orderId, amount: command.amount, currency: terms.currency, method: command.method.trim() };
  return [terms.kind === 'sale' ? { type: 'PaymentReceived', data } : { type: 'DepositPaid', data }];
}

function issueRefund(command: IssueRefund, payment: Payment): PaymentEvent[] {
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
  return [{
    type: 'RefundIssued',
    data: { orderId: command.orderId, amount: command.refundedTotal - payment.refunded, currency: command.currency, method: command.method },
  }];
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
