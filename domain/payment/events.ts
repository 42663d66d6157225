import { type DomainEvent } from '../shared/event.js';
import { type PenaltyPayer, type RefundMethod } from './commands.js';

interface Money {
  readonly orderId: string;
  /** Minor units of `currency`. */
  readonly amount: number;
  readonly currency: string;
}

/** A customer paid for a sale order. */
export type PaymentReceived = DomainEvent<'PaymentReceived', Money & { readonly method: string }>;
/** Money went back to the customer of a sale order. */
export type RefundIssued = DomainEvent<'RefundIssued', Money & { readonly method: RefundMethod }>;
/** A purchase order's total was frozen for it. */
export type FundsCommitted = DomainEvent<'FundsCommitted', Money>;
/** Part or all of the frozen funds were unfrozen. */
export type FundsReleased = DomainEvent<'FundsReleased', Money>;
/** The company paid the supplier in advance of delivery (a payment on a purchase order). */
export type DepositPaid = DomainEvent<'DepositPaid', Money & { readonly method: string }>;
/** The supplier owes this much more back (deposits on a cancelled purchase). */
export type SupplierRefundDue = DomainEvent<'SupplierRefundDue', Money>;
export type SupplierRefundReceived = DomainEvent<'SupplierRefundReceived', Money & { readonly method: string }>;
export type PenaltyRecorded = DomainEvent<'PenaltyRecorded', Money & { readonly payer: PenaltyPayer }>;

export type PaymentEvent =
  | PaymentReceived
  | RefundIssued
  | FundsCommitted
  | FundsReleased
  | DepositPaid
  | SupplierRefundDue
  | SupplierRefundReceived
  | PenaltyRecorded;

export type PaymentEventType = PaymentEvent['type'];

export const PAYMENT_EVENT_SCHEMA_VERSIONS: Readonly<Record<PaymentEventType, number>> = {
  PaymentReceived: 1,
  RefundIssued: 1,
  FundsCommitted: 1,
  FundsReleased: 1,
  DepositPaid: 1,
  SupplierRefundDue: 1,
  SupplierRefundReceived: 1,
  PenaltyRecorded: 1,
};
