import { type DomainEvent } from '../shared/event.js';
import { type PenaltyPayer, type RequestedRefundMethod } from './commands.js';

interface Money {
  readonly orderId: string;
  /** Minor units of `currency`. */
  readonly amount: number;
  readonly currency: string;
}

/**
 * A customer paid for a sale order. `paymentId` (v2) names the payment within the order: `P<n>`, n the 1-based count
 * of `PaymentReceived` in the payment stream at that point. A v1 event has none: read it as that same `P<n>`
 * (`paymentIdAt`), so ids agree across old and new history and across views.
 */
export type PaymentReceived = DomainEvent<'PaymentReceived', Money & {
  readonly method: string;
  readonly paymentId?: string;
  /** When it was received (v2; the decision's `now`). */
  readonly at?: string;
}>;
/**
 * Money went back to the customer of a sale order. v2: `method` is the concrete route (`cash`, `card`, `alipay`,
 * `store_credit`, … the reversed payment's method for `original`), `paymentId` the payment it reverses (null for a
 * route the approver chose), `requestedMethod` what was asked. A v1 event keeps its `method` (possibly `original`)
 * and reads with `paymentId: null`, `requestedMethod` = its method.
 */
export type RefundIssued = DomainEvent<'RefundIssued', Money & {
  readonly method: string;
  readonly paymentId: string | null;
  readonly requestedMethod: RequestedRefundMethod;
  /** When it was issued (v2; the decision's `now`; absent on v1). */
  readonly at?: string;
}>;
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
  PaymentReceived: 2,
  RefundIssued: 2,
  FundsCommitted: 1,
  FundsReleased: 1,
  DepositPaid: 1,
  SupplierRefundDue: 1,
  SupplierRefundReceived: 1,
  PenaltyRecorded: 1,
};

/** The id of the `count`-th payment of an order (1-based): how v1 payments are named and new ones written. */
export const paymentIdAt = (count: number): string => `P${count}`;

/** The payment's id: its own (v2), or `P<n>` from `paidBefore`, the number of payments before it in its stream (v1). */
export const paymentIdOf = (event: PaymentReceived, paidBefore: number): string => event.data.paymentId ?? paymentIdAt(paidBefore + 1);
