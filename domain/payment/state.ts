import { type PenaltyPayer } from './commands.js';

/** One customer payment of a sale and how much of it went back by its own route. */
export interface PaymentEntry {
  readonly paymentId: string;
  readonly method: string;
  readonly amount: number;
  /** Refunded against this payment (`RefundIssued` naming it); never more than `amount`. */
  readonly refunded: number;
  /** When it was received; null for a v1 payment (it did not say). */
  readonly at: string | null;
}

/** One refund of a sale: its concrete route and the payment it reversed (null: a route the approver chose, or v1). */
export interface RefundEntry {
  readonly method: string;
  readonly amount: number;
  readonly paymentId: string | null;
  readonly at: string | null;
}

/** All money of one order, in minor units of `currency`. */
export interface Payment {
  readonly orderId: string | null;
  readonly currency: string | null;
  /** Sale: paid by the customer. */
  readonly paid: number;
  /** Sale: refunded to the customer. */
  readonly refunded: number;
  /** Sale: each payment in the order it was received. */
  readonly payments: readonly PaymentEntry[];
  /** Sale: each refund in the order it was issued. */
  readonly refunds: readonly RefundEntry[];
  /** Sale: refunded as store credit (every `RefundIssued` with `method: store_credit`), for the credit process. */
  readonly refundedAsCredit: number;
  /** Purchase: paid to the supplier in advance. */
  readonly deposits: number;
  /** Purchase: frozen for the order at placement. */
  readonly committed: number;
  readonly fundsReleased: number;
  readonly supplierRefundDue: number;
  readonly supplierRefundReceived: number;
  readonly penalty: { readonly amount: number; readonly payer: PenaltyPayer } | null;
}

export const initialState: Payment = {
  orderId: null,
  currency: null,
  paid: 0,
  refunded: 0,
  payments: [],
  refunds: [],
  refundedAsCredit: 0,
  deposits: 0,
  committed: 0,
  fundsReleased: 0,
  supplierRefundDue: 0,
  supplierRefundReceived: 0,
  penalty: null,
};
