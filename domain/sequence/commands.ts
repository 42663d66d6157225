import { type OrderKind } from '../order/commands.js';

/** Where a claimed number comes from: the series (`SO-2026-000007`) or the client's request body. */
export type NumberOrigin = 'generated' | 'given';

/**
 * Application (a placement without a number): the next number of the series `SO|PO-<year>` goes to this
 * order. Every take takes a new number: a retry is recognised by its command id, not here.
 */
export interface TakeNumber {
  readonly type: 'TakeNumber';
  readonly kind: OrderKind;
  /** UTC year of the placement, from the command's time (the application reads the clock, never the domain). */
  readonly year: number;
  readonly orderId: string;
}

/** Application (every placement): this number is this order's. A number is claimed once, by one order. */
export interface ClaimNumber {
  readonly type: 'ClaimNumber';
  readonly number: string;
  readonly orderId: string;
  readonly origin: NumberOrigin;
}
