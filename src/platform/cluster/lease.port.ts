/**
 * A named lease in a store every jxc process of one deployment shares: at most one holder at a time, until it
 * expires. The holder renews it before it expires; any process takes it over once it has expired. Each change of
 * holder raises `generation` (a fencing token: a holder can tell it was superseded).
 *
 * Two stores: the embedded event store's file (sqlite-lease-store.ts) and, with EventStoreDB, the MongoDB read
 * store's database (mongodb-lease-store.ts). The same contract suite runs on both (leadership.int.spec.ts).
 */
export interface LeaseStore {
  /**
   * Takes or renews the lease for `holder` until `now + ttlMs`: granted when nobody holds it, it has expired, or
   * `holder` already holds it. Atomic in the store. Either way, says who holds it now.
   */
  acquire(name: string, holder: string, ttlMs: number, now: number): Promise<LeaseState>;
  /** Gives the lease up if `holder` holds it (a clean stop: the next process need not wait for the expiry). */
  release(name: string, holder: string): Promise<void>;
  close(): Promise<void>;
}

export interface LeaseState {
  /** True when `holder` (the caller) holds the lease now. */
  readonly held: boolean;
  readonly holder: string | null;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number | null;
  readonly generation: number;
}
