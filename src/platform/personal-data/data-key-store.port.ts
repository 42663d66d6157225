/** A party's data key as kept: wrapped by a master key. Destroyed by an erasure: `wrapped` empty, `destroyedAt` set. */
export interface StoredDataKey {
  readonly streamId: string;
  /** base64 of iv ‖ tag ‖ the data key sealed by the master key; '' once destroyed. */
  readonly wrapped: string;
  /** The id (fingerprint) of the master key that wrapped it. */
  readonly masterKeyId: string;
  readonly createdAt: string;
  readonly destroyedAt: string | null;
}

/**
 * Where data keys live: beside the event store, never in it (an event cannot be deleted; a key can). One row
 * per party stream; the first key stored for a stream wins; a destroyed key stays as a tombstone so that no
 * new key is ever made for an erased party. Implementations: sqlite-data-key-store.ts (keys.sqlite in the data
 * directory), mongodb-data-key-store.ts (a collection of the read store's database).
 */
export interface DataKeyStore {
  getMany(streamIds: readonly string[]): Promise<Map<string, StoredDataKey>>;
  /** Stores the key unless the stream has one (live or destroyed); answers the one stored. */
  insertIfAbsent(key: StoredDataKey): Promise<StoredDataKey>;
  /** Overwrites the wrapped key with nothing, for good; true when there was a live key. */
  destroy(streamId: string, at: string): Promise<boolean>;
  /** Rows stored, live or destroyed: any row means the log holds personal data sealed by a master key. */
  count(): Promise<number>;
  /** Live keys in stream id order after `afterStreamId`, for re-wrapping under a new master key. */
  page(afterStreamId: string | undefined, limit: number): Promise<StoredDataKey[]>;
  /** Replaces the wrapping if the key is still wrapped by `fromMasterKeyId`; true when replaced. */
  rewrap(streamId: string, fromMasterKeyId: string, wrapped: string, masterKeyId: string): Promise<boolean>;
  /** `rewrap` for a page of keys in one write (one transaction, or one bulk write); answers how many were replaced. */
  rewrapMany(fromMasterKeyId: string, masterKeyId: string, keys: readonly { readonly streamId: string; readonly wrapped: string }[]): Promise<number>;
  close(): Promise<void>;
}
