import { type CreditSource } from './events.js';

export interface CreditGrant {
  readonly entryId: string;
  readonly amount: number;
  readonly currency: string;
  readonly source: CreditSource;
  readonly reason: string;
  readonly orderId: string | null;
  readonly expiresAt: string | null;
  /** What is left of it: less what spends took and what expired. */
  readonly remaining: number;
}

export interface CreditSpend {
  readonly entryId: string;
  readonly orderId: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
  /** Given back (`RestoreCredit`) after the order refused the payment. */
  readonly restored: boolean;
}

/** One customer's store credit: grants with what is left of each, spends, and how many entries were written. */
export interface CreditLedger {
  readonly customerId: string | null;
  readonly grants: readonly CreditGrant[];
  readonly spends: readonly CreditSpend[];
  readonly entries: number;
}

export const initialState: CreditLedger = { customerId: null, grants: [], spends: [], entries: 0 };

/** The entry id of the `n`-th entry (1-based) of a ledger. */
export const creditEntryId = (n: number): string => `C${n}`;

/** The entry id of the grant that gives a spend back. */
export const restoreEntryId = (spendEntryId: string): string => `${spendEntryId}-back`;

/** A grant may be spent while it has something left and has not expired at `now` (ISO-8601 UTC, compared as instants). */
export const isSpendable = (grant: CreditGrant, now: string): boolean =>
  grant.remaining > 0 && (grant.expiresAt === null || Date.parse(grant.expiresAt) > Date.parse(now));

/** What the customer may spend now, in `currency`. */
export function spendableCredit(ledger: CreditLedger, currency: string, now: string): number {
  return ledger.grants.filter((grant) => grant.currency === currency && isSpendable(grant, now)).reduce((sum, grant) => sum + grant.remaining, 0);
}

/** Everything granted and not yet spent or expired, per the ledger (expired-but-not-swept grants still count here). */
export const creditBalance = (ledger: CreditLedger, currency: string): number =>
  ledger.grants.filter((grant) => grant.currency === currency).reduce((sum, grant) => sum + grant.remaining, 0);

/** Granted for the order's refunds paid as store credit so far (gives-back of refused payments excluded). */
export const refundCreditGranted = (ledger: CreditLedger, orderId: string): number =>
  ledger.grants
    .filter((grant) => grant.source === 'refund' && grant.orderId === orderId && !ledger.spends.some((spend) => grant.entryId === restoreEntryId(spend.entryId)))
    .reduce((sum, grant) => sum + grant.amount, 0);

/** Whether the goodwill grant of the order with this reason (it names the approval) was made. */
export const hasGoodwillGrant = (ledger: CreditLedger, orderId: string, reason: string): boolean =>
  ledger.grants.some((grant) => grant.source === 'goodwill' && grant.orderId === orderId && grant.reason === reason);
