import { type PartyRecord } from './events.js';

export type PartyKind = 'customer' | 'supplier';

/** A party as registered; after an erasure its personal fields are null and `erased` is true. */
export interface Party extends Omit<PartyRecord, 'name'> {
  readonly kind: PartyKind;
  readonly name: string | null;
  readonly erased: boolean;
  /** An inactive party (停用) takes no new orders (409 inactive); its placed orders go on. */
  readonly active: boolean;
}

/** No party before its registration. */
export type PartyState = Party | null;

export const initialState: PartyState = null;
