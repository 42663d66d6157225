import { type Collection, type MongoClient, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';

import { StorageUnavailable } from '../event-store/errors.js';

import { connectMongo } from '../read-store/mongodb/mongodb-read-store.js';
import { type DataKeyStore, type StoredDataKey } from './data-key-store.port.js';

const KEY_COLLECTION = 'jxc_data_keys';
/** One document per erased stream, inserted before its key is overwritten: what a re-wrap checks after its write. */
const ERASURE_COLLECTION = 'jxc_data_key_erasures';

interface ErasureDocument {
  _id: string;
  at: string;
}

interface KeyDocument {
  /** The party's stream id: one document per stream, made unique by `_id`. */
  _id: string;
  wrapped: string;
  masterKeyId: string;
  createdAt: string;
  destroyedAt: string | null;
}

export interface MongoDataKeyStoreOptions {
  readonly url: string;
  /** Default: the database named in the URL's path, else `jxc` (the read store's database). */
  readonly databaseName?: string;
}

const DUPLICATE_KEY = 11000;
const GET_MANY_CHUNK = 1000;
/**
 * Acknowledged by a majority and journaled: a data key is written before the events it seals are appended, and
 * losing it after they were would lose those personal data.
 */
const DURABLE = { writeConcern: { w: 'majority', journal: true } } as const;

const toKey = (document: KeyDocument): StoredDataKey => ({
  streamId: document._id,
  wrapped: document.wrapped,
  masterKeyId: document.masterKeyId,
  createdAt: document.createdAt,
  destroyedAt: document.destroyedAt ?? null,
});

/**
 * Data keys in the collection `jxc_data_keys` of the MongoDB read store's database (when MONGODB_URL is set),
 * with the semantics of keys.sqlite: the first key stored for a stream wins, a destroyed key stays as a
 * tombstone, a re-wrap replaces only a live key still wrapped by the expected master key. No transactions
 * (FerretDB 1.24 serves this too). A destroyed key is overwritten in its document; the server's own storage
 * (journal, old pages, oplog, its backups) may keep the old bytes until it reuses them: see docs/personal-data.md.
 *
 * An erasure stays an erasure when a key rotation races it. FerretDB 1.x runs a conditional update as a read, then
 * a whole-document write: a re-wrap that read the live key before the erasure's write could write it back after
 * (measured: 107 of 200 rounds of one erasure racing one re-wrap ended with a live key). So an erasure first inserts
 * `<stream>` into `jxc_data_key_erasures` (an insert's unique `_id`: atomic on every server), then overwrites the
 * key; every re-wrap, after its write, looks for erasures of the keys it wrote and overwrites those again. Either
 * the re-wrap's write came before the erasure's overwrite (which then reads it and blanks it), or the re-wrap's
 * check comes after the erasure's insert and finds it.
 */
export class MongoDataKeyStore implements DataKeyStore {
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<KeyDocument>,
    private readonly erasures: Collection<ErasureDocument>,
  ) {}

  static connect(options: MongoDataKeyStoreOptions): Promise<MongoDataKeyStore> {
    return connectMongo(
      options,
      (client, db) => new MongoDataKeyStore(client, db.collection<KeyDocument>(KEY_COLLECTION, DURABLE), db.collection<ErasureDocument>(ERASURE_COLLECTION, DURABLE)),
    );
  }

  async getMany(streamIds: readonly string[]): Promise<Map<string, StoredDataKey>> {
    try {
      const found = new Map<string, StoredDataKey>();
      const unique = [...new Set(streamIds)];
      for (let start = 0; start < unique.length; start += GET_MANY_CHUNK) {
        const documents = await this.keys.find({ _id: { $in: unique.slice(start, start + GET_MANY_CHUNK) } }).toArray();
        for (const document of documents) found.set(document._id, toKey(document));
      }
      return found;
    } catch (error) {
      throw unavailable(error, 'read');
    }
  }

  async insertIfAbsent(key: StoredDataKey): Promise<StoredDataKey> {
    try {
      await this.upsertIfAbsent({ _id: key.streamId, wrapped: key.wrapped, masterKeyId: key.masterKeyId, createdAt: key.createdAt, destroyedAt: null });
      return toKey((await this.keys.findOne({ _id: key.streamId }))!);
    } catch (error) {
      throw unavailable(error, 'append');
    }
  }

  async destroy(streamId: string, at: string): Promise<boolean> {
    try {
      const erasure = await this.recordErasure(streamId, at);
      const result = await this.keys.updateOne({ _id: streamId, destroyedAt: null }, { $set: { wrapped: '', destroyedAt: erasure } });
      if (result.matchedCount > 0) return true;
      // No key yet (a party with no personal data, or a crash before its first append): a tombstone all the same.
      await this.upsertIfAbsent({ _id: streamId, wrapped: '', masterKeyId: '', createdAt: at, destroyedAt: erasure });
      // A key stored or re-wrapped meanwhile (its write came after the update above read the document).
      await this.keys.updateOne({ _id: streamId, wrapped: { $ne: '' } }, { $set: { wrapped: '', destroyedAt: erasure } });
      return false;
    } catch (error) {
      throw unavailable(error, 'append');
    }
  }

  /** Marks the stream erased (the first erasure's time stays); answers that time. */
  private async recordErasure(streamId: string, at: string): Promise<string> {
    try {
      await this.erasures.insertOne({ _id: streamId, at });
      return at;
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      return (await this.erasures.findOne({ _id: streamId }))?.at ?? at;
    }
  }

  /** After a re-wrap's write: the keys among `streamIds` erased meanwhile are overwritten again. */
  private async eraseAgain(streamIds: readonly string[]): Promise<void> {
    for (const erasure of await this.erasures.find({ _id: { $in: [...streamIds] } }).toArray()) {
      await this.keys.updateOne({ _id: erasure._id, wrapped: { $ne: '' } }, { $set: { wrapped: '', destroyedAt: erasure.at } });
    }
  }

  async count(): Promise<number> {
    try {
      return this.keys.countDocuments({});
    } catch (error) {
      throw unavailable(error, 'read');
    }
  }

  async page(afterStreamId: string | undefined, limit: number): Promise<StoredDataKey[]> {
    try {
      const documents = await this.keys
        .find({ _id: { $gt: afterStreamId ?? '' }, destroyedAt: null })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return documents.map(toKey);
    } catch (error) {
      throw unavailable(error, 'read');
    }
  }

  async rewrap(streamId: string, fromMasterKeyId: string, wrapped: string, masterKeyId: string): Promise<boolean> {
    try {
      const result = await this.keys.updateOne({ _id: streamId, masterKeyId: fromMasterKeyId, destroyedAt: null }, { $set: { wrapped, masterKeyId } });
      if (result.matchedCount === 0) return false;
      await this.eraseAgain([streamId]);
      return true;
    } catch (error) {
      throw unavailable(error, 'append');
    }
  }

  async rewrapMany(fromMasterKeyId: string, masterKeyId: string, keys: readonly { readonly streamId: string; readonly wrapped: string }[]): Promise<number> {
    try {
      if (keys.length === 0) return 0;
      const result = await this.keys.bulkWrite(
        keys.map(({ streamId, wrapped }) => ({ updateOne: { filter: { _id: streamId, masterKeyId: fromMasterKeyId, destroyedAt: null }, update: { $set: { wrapped, masterKeyId } } } })),
        { ordered: false },
      );
      await this.eraseAgain(keys.map(({ streamId }) => streamId));
      return result.matchedCount;
    } catch (error) {
      throw unavailable(error, 'append');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /** Inserts the document unless one with its `_id` exists (two processes racing: the other's insert stands). */
  private async upsertIfAbsent(document: KeyDocument): Promise<void> {
    const { _id, ...fields } = document;
    try {
      await this.keys.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
  }
}

/** The server unreachable or not answering: the event store's StorageUnavailable (503), as for a failing keys.sqlite. */
function unavailable(error: unknown, operation: 'append' | 'read'): unknown {
  return error instanceof MongoNetworkError || error instanceof MongoServerSelectionError ? new StorageUnavailable(operation, { cause: error }) : error;
}
