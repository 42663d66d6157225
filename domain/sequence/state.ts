import { type NumberOrigin } from './commands.js';

/** A series (`SO-2026`): how many numbers it has handed out; the next is one more. */
export interface Sequence {
  readonly taken: number;
}

export const initialSequence: Sequence = { taken: 0 };

/** A number's claim: the order it belongs to, or null while nobody has claimed it. */
export type NumberClaim = { readonly number: string; readonly orderId: string; readonly origin: NumberOrigin } | null;

export const initialClaim: NumberClaim = null;
