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

export interface SnapshotStore {
  load(streamId: string): Promise<Snapshot | undefined>;
  save(snapshot: Snapshot): Promise<void>;
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

/** Snapshots as documents of the read store's `snapshots` view (views.sqlite or MongoDB), one per stream. */
export class ReadStoreSnapshots implements SnapshotStore {
  private readonly logger = new Logger('Snapshots');

  private constructor(private readonly store: ReadStore) {}

  static async open(store: ReadStore): Promise<ReadStoreSnapshots> {
    await store.ensureView(SNAPSHOTS_VIEW);
    return new ReadStoreSnapshots(store);
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
