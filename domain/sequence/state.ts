import { type NumberOrigin } from './commands.js';

/**
 * A series (`SO-2026`): the last number it handed out (`taken`; every number up to it is used or skipped for
 * good) and the numbers above it that clients reserved, with their orders. The next number is the first one
 * above `taken` that is not reserved.
 */
export interface Sequence {
  readonly taken: number;
  readonly reserved: readonly { readonly sequence: number; readonly orderId: string }[];
}

export const initialSequence: Sequence = { taken: 0, reserved: [] };

/** A number's claim: the order it belongs to, or null while nobody has claimed it. */
export type NumberClaim = { readonly number: string; readonly orderId: string; readonly origin: NumberOrigin } | null;

export const initialClaim: NumberClaim = null;
