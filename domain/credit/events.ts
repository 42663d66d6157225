import { type DomainEvent } from '../shared/event.js';

/** Where a grant of store credit comes from. */
export type CreditSource = 'goodwill' | 'refund' | 'manual';

/**
 * Store credit given to a customer (stream `credit-<customerId>`): a goodwill gesture of a cancellation approval,
 * a refund paid as store credit (through the order's process), or a manual grant. Spendable until `expiresAt`
 * (ISO-8601 UTC, null = never). `entryId` is unique within the customer's ledger.
 */
export type CreditGranted = DomainEvent<'CreditGranted', {
  readonly customerId: string;
  readonly entryId: string;
  /** Minor units of `currency`, positive. */
  readonly amount: number;
  readonly currency: string;
  readonly reason: string;
  readonly orderId: string | null;
  readonly expiresAt: string | null;
  readonly grantedBy: string;
  readonly source: CreditSource;
}>;

/** Credit drawn for a payment (`method: "store_credit"`) of a sale order: the order's `PaymentReceived` with the same `paymentId` follows. */
export type CreditSpent = DomainEvent<'CreditSpent', {
  readonly customerId: string;
  readonly entryId: string;
  readonly amount: number;
  readonly currency: string;
  readonly orderId: string;
  readonly paymentId: string;
}>;

/** The unspent rest of a grant past its `expiresAt`, written off. */
export type CreditExpired = DomainEvent<'CreditExpired', {
  readonly customerId: string;
  readonly entryId: string;
  readonly grantEntryId: string;
  readonly amount: number;
  readonly currency: string;
}>;

export type CreditEvent = CreditGranted | CreditSpent | CreditExpired;
export type CreditEventType = CreditEvent['type'];

export const CREDIT_EVENT_SCHEMA_VERSIONS: Readonly<Record<CreditEventType, number>> = {
  CreditGranted: 1,
  CreditSpent: 1,
  CreditExpired: 1,
};
