import { type PenaltyPayer } from './commands.js';

/** All money of one order, in minor units of `currency`. */
export interface Payment {
  readonly orderId: string | null;
  readonly currency: string | null;
  /** Sale: paid by the customer. */
  readonly paid: number;
  /** Sale: refunded to the customer. */
  readonly refunded: number;
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
  deposits: 0,
  committed: 0,
  fundsReleased: 0,
  supplierRefundDue: 0,
  supplierRefundReceived: 0,
  penalty: null,
};
