import { type OrderKind } from '../order/commands.js';

/** Where a claimed number comes from: the series (`SO-2026-000007`) or the client's request body (kept for claims recorded before series reservations). */
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

/**
 * Application (a placement whose client-given number has the series' own form, `SO-2026-000050`): that number
 * of the series goes to this order, so the series never hands it out. Refused when the series already handed it
 * out, skipped it or reserved it for another order.
 */
export interface ReserveNumber {
  readonly type: 'ReserveNumber';
  readonly number: string;
  readonly sequence: number;
  readonly orderId: string;
}

/** Application (a client-given number of any other form): this number is this order's. A number is claimed once, by one order. */
export interface ClaimNumber {
  readonly type: 'ClaimNumber';
  readonly number: string;
  readonly orderId: string;
  readonly origin: NumberOrigin;
}
