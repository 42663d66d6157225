/**
 * Commands on a customer's store credit ledger (`credit-<customerId>`).
 *
 * HTTP: GrantCredit (approver, finance) and SpendCredit (a payment with `method: "store_credit"`). The order's
 * process sends the grants a refund or a goodwill gesture calls for and gives back a spend whose payment was refused;
 * the expiry sweep sends ExpireCredit.
 */

/** A manual grant (`POST /api/customers/:id/credits`). */
export interface GrantCredit {
  readonly type: 'GrantCredit';
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: string;
  readonly orderId: string | null;
  readonly expiresAt: string | null;
}

/** Refunds of the order paid as store credit, `refundedTotal` in all: grants the difference to what was granted for it (process). */
export interface GrantRefundCredit {
  readonly type: 'GrantRefundCredit';
  readonly customerId: string;
  readonly orderId: string;
  readonly refundedTotal: number;
  readonly currency: string;
}

/** The goodwill gesture of one approval of the order's cancellations, granted once: `reason` names the approval (process). */
export interface GrantGoodwillCredit {
  readonly type: 'GrantGoodwillCredit';
  readonly customerId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly expiresAt: string | null;
  readonly reason: string;
}

/** Draws credit for a payment of the order, under the payment id it will have. */
export interface SpendCredit {
  readonly type: 'SpendCredit';
  readonly customerId: string;
  readonly orderId: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
}

/** Gives back a spend whose payment the order refused (process). Once per spend. */
export interface RestoreCredit {
  readonly type: 'RestoreCredit';
  readonly customerId: string;
  readonly spendEntryId: string;
}

/** Writes off the unspent rest of every grant past its `expiresAt` (the context's `now`). */
export interface ExpireCredit {
  readonly type: 'ExpireCredit';
  readonly customerId: string;
}

export type CreditCommand = GrantCredit | GrantRefundCredit | GrantGoodwillCredit | SpendCredit | RestoreCredit | ExpireCredit;
