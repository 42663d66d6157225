import { Logger } from '@nestjs/common';

import { type ReadStore, type ViewDefinition, type ViewDocument } from '../read-store/read-store.port.js';

export const SNAPSHOT_STORE = Symbol('SnapshotStore');

/**
 * An aggregate's state folded through `revision`, kept so that loading a long stream reads only the
 * events after it. A cache, never a source of truth: the repository checks it against the stream
 * (the event at `revision` must carry `lastHash`) and ignores it otherwise, or when `stateVersion`
 * is not the aggregate type's current one.
 */
export interface Snapshot {
  readonly streamId: string;
  readonly aggregate: string;
  readonly stateVersion: number;
  readonly revision: bigint;
  readonly lastHash: string;
  readonly position: string;
  readonly state: unknown;
}

/**
 * Partitioned: a filter of the keys with entry rows at or before `revision` (a serialized KeyFilter, key-filter.ts),
 * kept apart from the header because it grows with every order a position ever saw and a load rarely needs it.
 */
export interface StoredKeyFilter {
  readonly revision: bigint;
  readonly filter: string;
}

export interface SnapshotStore {
  load(streamId: string): Promise<Snapshot | undefined>;
  save(snapshot: Snapshot): Promise<void>;
  /**
   * A partitioned snapshot's entries at `revision` (aggregate-type.ts `Partitions`), written before the header that
   * names that revision. Rows are never changed: an entry is read as the latest row at or before a header's revision,
   * so a header and the entries it stands on stay consistent whoever writes the next snapshot meanwhile.
   */
  saveEntries(streamId: string, revision: bigint, position: string, entries: readonly (readonly [string, unknown])[]): Promise<void>;
  /** Each key's entry in the snapshot at `asOf` (its latest row at or before it); a key with none is absent from the map. */
  loadEntries(streamId: string, keys: readonly string[], asOf: bigint): Promise<Map<string, unknown>>;
  /**
   * The key filter of the snapshot at `revision`, written after its entries and before its header. One per stream,
   * the latest written: a filter at a revision at or after a header's holds every key with rows at or before it
   * (keys only accrue), one before it does not and is not used with it.
   */
  saveKeyFilter(streamId: string, revision: bigint, position: string, filter: string): Promise<void>;
  loadKeyFilter(streamId: string): Promise<StoredKeyFilter | undefined>;
}

interface SnapshotDocument extends ViewDocument {
  readonly aggregate: string;
  readonly stateVersion: number;
  readonly revision: string;
  readonly lastHash: string;
  /** The state as JSON text: states hold nested arrays, which not every document store accepts as fields. */
  readonly state: string;
}

export const SNAPSHOTS_VIEW: ViewDefinition = { name: 'snapshots', indexes: [] };

interface SnapshotEntryDocument extends ViewDocument {
  readonly stream: string;
  readonly key: string;
  /** The snapshot's revision, zero-padded to 20 digits so that it sorts and compares as text. */
  readonly revision: string;
  readonly entry: unknown;
}

interface KeyFilterDocument extends ViewDocument {
  readonly revision: string;
  readonly filter: string;
}

/** Partitioned snapshots: one key filter per stream. */
const KEY_FILTERS_VIEW: ViewDefinition = { name: 'snapshot_key_filters', indexes: [] };

/** One row per entry and snapshot revision it was written at (partitioned snapshots). */
const SNAPSHOT_ENTRIES_VIEW: ViewDefinition = {
  name: 'snapshot_entries',
  indexes: [{ fields: [{ field: 'stream', direction: 'asc' }, { field: 'key', direction: 'asc' }, { field: 'revision', direction: 'desc' }] }],
};

const padRevision = (revision: bigint): string => String(revision).padStart(20, '0');
/** Keys looked up per query ($in). */
const KEYS_PER_QUERY = 200;
/** Rows written per batch. */
const ENTRIES_PER_BATCH = 1_000;

/** Snapshots as documents of the read store's `snapshots` view (views.sqlite or MongoDB), one per stream. */
export class ReadStoreSnapshots implements SnapshotStore {
  private readonly logger = new Logger('Snapshots');

  private constructor(private readonly store: ReadStore) {}

  static async open(store: ReadStore): Promise<ReadStoreSnapshots> {
    await store.ensureView(SNAPSHOTS_VIEW);
    await store.ensureView(SNAPSHOT_ENTRIES_VIEW);
    await store.ensureView(KEY_FILTERS_VIEW);
    return new ReadStoreSnapshots(store);
  }

  async saveEntries(streamId: string, revision: bigint, position: string, entries: readonly (readonly [string, unknown])[]): Promise<void> {
    const padded = padRevision(revision);
    for (let start = 0; start < entries.length; start += ENTRIES_PER_BATCH) {
      const writes = entries.slice(start, start + ENTRIES_PER_BATCH).map(([key, entry]) => {
        const document: SnapshotEntryDocument = { id: `${streamId}|${key}|${padded}`, position, stream: streamId, key, revision: padded, entry };
        return { type: 'upsert' as const, document };
      });
      await this.store.writeBatch(SNAPSHOT_ENTRIES_VIEW.name, writes);
    }
  }

  async loadEntries(streamId: string, keys: readonly string[], asOf: bigint): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
    const unique = [...new Set(keys)];
    for (let start = 0; start < unique.length; start += KEYS_PER_QUERY) {
      const filter = { stream: streamId, key: { $in: unique.slice(start, start + KEYS_PER_QUERY) }, revision: { $lte: padRevision(asOf) } };
      const sort = [{ field: 'key', direction: 'asc' as const }, { field: 'revision', direction: 'desc' as const }];
      // The first row of each key is its latest at or before `asOf`.
      for await (const row of this.store.scan<SnapshotEntryDocument>(SNAPSHOT_ENTRIES_VIEW.name, { filter, sort, pageSize: 1_000 })) {
        if (!found.has(row.key)) found.set(row.key, row.entry);
      }
    }
    return found;
  }

  async saveKeyFilter(streamId: string, revision: bigint, position: string, filter: string): Promise<void> {
    const document: KeyFilterDocument = { id: streamId, position, revision: String(revision), filter };
    await this.store.writeBatch(KEY_FILTERS_VIEW.name, [{ type: 'upsert', document }]);
  }

  async loadKeyFilter(streamId: string): Promise<StoredKeyFilter | undefined> {
    const document = await this.store.get<KeyFilterDocument>(KEY_FILTERS_VIEW.name, streamId);
    return document === undefined ? undefined : { revision: BigInt(document.revision), filter: document.filter };
  }

  async load(streamId: string): Promise<Snapshot | undefined> {
    const document = await this.store.get<SnapshotDocument>(SNAPSHOTS_VIEW.name, streamId);
    if (!document) return undefined;
    try {
      return {
        streamId,
        aggregate: document.aggregate,
        stateVersion: document.stateVersion,
        revision: BigInt(document.revision),
        lastHash: document.lastHash,
        position: document.position,
        state: JSON.parse(document.state) as unknown,
      };
    } catch (error) {
      this.logger.warn(`ignoring unreadable snapshot of ${streamId}: ${(error as Error).message}`);
      return undefined;
    }
  }

  async save(snapshot: Snapshot): Promise<void> {
    const document: SnapshotDocument = {
      id: snapshot.streamId,
      position: snapshot.position,
      aggregate: snapshot.aggregate,
      stateVersion: snapshot.stateVersion,
      revision: String(snapshot.revision),
      lastHash: snapshot.lastHash,
      state: JSON.stringify(snapshot.state),
    };
    await this.store.writeBatch(SNAPSHOTS_VIEW.name, [{ type: 'upsert', document }]);
  }
}
