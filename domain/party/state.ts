import { type PartyRecord } from './events.js';

export type PartyKind = 'customer' | 'supplier';

export interface Party extends PartyRecord {
  readonly kind: PartyKind;
}

/** No party before its registration. */
export type PartyState = Party | null;

export const initialState: PartyState = null;
