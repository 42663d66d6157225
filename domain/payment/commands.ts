/**
 * Commands on the money of one order (`payment-<orderId>`).
 *
 * HTTP: RecordPayment (customer payment on a sale, deposit to the supplier on a purchase) and
 * ReceiveSupplierRefund. Everything else is sent by the order's process, without a role check,
 * with a cumulative target (`refundedTotal`, `releasedTotal`, `dueTotal`) or once per order.
 */
export type OrderKindForPayment = 'sale' | 'purchase';

/**
 * What the payment decider needs to know about the order, computed by `paymentTerms(order)`
 * (domain/order/payment-terms.ts) from the order state the handler loaded.
 */
export interface PaymentTerms {
  readonly kind: OrderKindForPayment;
  /** Sale: what the customer owes (`amountDue`: units neither cancelled nor returned). Purchase: the order total. Minor units. */
  readonly total: number;
  readonly currency: string;
  /** False once the order is rejected, cancelled, closed or its cancellation approved. */
  readonly open: boolean;
}

/**
 * How an approver asks for a refund: `original` splits it over the order's payments, latest first, each part back by
 * the route it came (`RefundIssued.method`); the others pay it all by that route. `bank_transfer` is kept for
 * approvals made before the split existed.
 */
export type RefundMethod = 'original' | 'cash' | 'bank_transfer' | 'store_credit';
export type RequestedRefundMethod = RefundMethod;
export const REFUND_METHODS: readonly RefundMethod[] = ['original', 'cash', 'bank_transfer', 'store_credit'];

export type PenaltyPayer = 'company' | 'supplier';
export const PENALTY_PAYERS: readonly PenaltyPayer[] = ['company', 'supplier'];

export interface RecordPayment {
  readonly type: 'RecordPayment';
  readonly orderId: string;
  readonly amount: number;
  readonly method: string;
  readonly terms: PaymentTerms;
}

/**
 * A sale payment drawn from store credit: the order's process sends it for a `CreditSpent` naming this order whose
 * payment is not recorded yet, with the `paymentId` the spend reserved (the next `P<n>` when it was spent).
 */
export interface RecordCreditPayment {
  readonly type: 'RecordCreditPayment';
  readonly orderId: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly terms: PaymentTerms;
}

/** Refund the customer up to `refundedTotal` in all (cancellations, returns, amendments below what was paid). */
export interface IssueRefund {
  readonly type: 'IssueRefund';
  readonly orderId: string;
  readonly refundedTotal: number;
  readonly method: RefundMethod;
  readonly currency: string;
}

/** Freeze the purchase order's total (purchase placement). Once per order. */
export interface CommitFunds {
  readonly type: 'CommitFunds';
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
}

/** Unfreeze committed funds up to `releasedTotal` in all (purchase cancellation). */
export interface ReleaseFunds {
  readonly type: 'ReleaseFunds';
  readonly orderId: string;
  readonly releasedTotal: number;
  readonly currency: string;
}

/** What the supplier owes back, up to `dueTotal` in all: goods returned to it, deposits beyond the goods kept after a cancellation. */
export interface RecordSupplierRefundDue {
  readonly type: 'RecordSupplierRefundDue';
  readonly orderId: string;
  readonly dueTotal: number;
  readonly currency: string;
}

/** Money the supplier paid back against what is due. */
export interface ReceiveSupplierRefund {
  readonly type: 'ReceiveSupplierRefund';
  readonly orderId: string;
  readonly amount: number;
  readonly method: string;
}

/** The penalty agreed when a purchase cancellation was approved. Once per order. */
export interface RecordPenalty {
  readonly type: 'RecordPenalty';
  readonly orderId: string;
  readonly amount: number;
  readonly payer: PenaltyPayer;
  readonly currency: string;
}

export type PaymentCommand =
  | RecordPayment
  | RecordCreditPayment
  | IssueRefund
  | CommitFunds
  | ReleaseFunds
  | RecordSupplierRefundDue
  | ReceiveSupplierRefund
  | RecordPenalty;
