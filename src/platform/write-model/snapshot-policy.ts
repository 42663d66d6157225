import { type Logger } from '@nestjs/common';

import { type DomainEvent } from '../../../domain/shared/event.js';
import { type EventStore } from '../event-store/event-store.port.js';
import { type LoadedAggregate } from './aggregate-repository.js';
import { type AggregateType, type Partitions } from './aggregate-type.js';
import { LRUCache } from 'lru-cache';

import { KeyFilter, type LineageFilter } from './key-filter.js';
import { type Snapshot, type SnapshotStore } from './snapshots.js';

/**
 * A snapshot is taken when a command takes a stream across a multiple of this many events, and when a
 * load folds at least this many: loading never folds more than about this many events, however long
 * the stream. 1,000 keeps the snapshot writes of a hot stock position to a few per second.
 */
export const SNAPSHOT_EVERY = 1_000;

/** A state whose entries are all stored, the filter of the lineage it belongs to and the filter of its snapshot. */
interface StoredEntries {
  readonly revision: bigint;
  readonly state: unknown;
  /** The lineage of its partial state; undefined for a whole state. */
  readonly lineage: LineageFilter | undefined;
  readonly keyFilter: KeyFilter | undefined;
}

/** Called once a partitioned snapshot is stored, with the filter of the keys it has rows for. */
type Saved = (keyFilter: KeyFilter | undefined) => void;

/**
 * When the repository reads and takes snapshots (none without a snapshot store). An aggregate type with
 * `partitions` (stock) is snapshotted in parts: its entries as rows of their own, then the header naming that
 * revision (snapshots.ts); a load reads the header and only the entries it needs (aggregate-repository.ts).
 */
export class SnapshotPolicy {
  /** Snapshot writes in flight, so that `flush` (tests, shutdown) can wait for them. */
  private readonly saving = new Set<Promise<void>>();
  /**
   * Per stream, the last snapshot write started: the next one waits for it, so that one process stores a stream's
   * snapshots in revision order (a key filter is then never overwritten by an older one of its own making, which would
   * leave the header standing on a filter that cannot be used with it, and every key read until the next snapshot).
   */
  private readonly queued = new Map<string, Promise<void>>();
  /**
   * Partitioned: per stream, the last state whose entries are all stored (each has a row at or before `revision`),
   * so that the next snapshot of the same lineage writes only the entries changed since (its tables share every
   * bucket nothing changed in), not every order a hot position ever saw.
   */
  private readonly stored = new LRUCache<string, StoredEntries>({ max: 20_000 });

  constructor(
    private readonly store: EventStore,
    private readonly snapshots: SnapshotStore | undefined,
    private readonly logger: Logger,
    /** Events between snapshots (SNAPSHOT_EVERY unless configured: tests take them often). */
    readonly every: number = SNAPSHOT_EVERY,
  ) {}

  /** The cached state of the stream was rebased on its latest snapshot: no later snapshot will diff against the last. */
  forgetStored(streamId: string): void {
    this.stored.delete(streamId);
  }

  /** The store the entries of a partial state are read from (undefined: no snapshots, so no partial states). */
  get entries(): SnapshotStore | undefined {
    return this.snapshots;
  }

  /**
   * The key filter to use with the snapshot of `streamId` at `revision`: the stored one when it is at that revision or
   * later (it holds every key with rows at or before it); undefined when there is none such (every key is read).
   */
  async keyFilter(streamId: string, revision: bigint): Promise<KeyFilter | undefined> {
    try {
      const stored = await this.snapshots?.loadKeyFilter(streamId);
      return stored !== undefined && stored.revision >= revision ? KeyFilter.parse(stored.filter) : undefined;
    } catch (error) {
      this.logger.warn(`key filter of ${streamId} unavailable, reading every key: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * The snapshot to fold from. Only a stream long enough to have a snapshot looks for one: one indexed
   * read of its head first, which also answers a new stream (a new order's) without reading further
   * (`empty`). Undefined: fold from the start.
   */
  async toLoadFrom<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, streamId: string): Promise<Snapshot | 'empty' | undefined> {
    if (!this.snapshots) return undefined;
    let head: bigint | undefined;
    for await (const last of this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) head = last.revision;
    if (head === undefined) return 'empty';
    return head + 1n >= BigInt(this.every) ? this.find(type, streamId) : undefined;
  }

  /**
   * A command took the stream from `before` to `after`: a snapshot when it crossed a multiple of `every`.
   * `saved` is called with the header once the snapshot is stored (the repository then rebases a partial state).
   */
  afterCommand<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, before: bigint | undefined, after: LoadedAggregate<State>, saved?: Saved): void {
    const every = BigInt(this.every);
    if ((after.revision! + 1n) / every > (before === undefined ? 0n : before + 1n) / every) this.save(type, after, saved);
  }

  /** A load folded `folded` events: a snapshot when that was `every` or more. */
  afterFold<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, loaded: LoadedAggregate<State>, folded: number, saved?: Saved): void {
    if (folded >= this.every) this.save(type, loaded, saved);
  }

  /** Resolves when every snapshot write started so far has finished. */
  async flush(): Promise<void> {
    await Promise.all([...this.saving]);
  }

  /**
   * The entries a partitioned snapshot at `revision` writes, and the filter of the keys with rows at or before it.
   * - The same lineage as the last state stored (a whole state always is one; a partial one of the same
   *   LineageFilter object descends from it): only the entries changed since, and that filter plus their keys.
   * - Else a whole state: every entry, and a filter of them all. A partial state: the entries it holds (loaded or
   *   changed since its snapshot; the others' rows are older and still theirs), and its lineage's filter (read now if
   *   it was not) plus their keys; no filter when its lineage has none (then every key is read).
   */
  private async toStore<State, Command, Event extends DomainEvent>(
    partitions: Partitions<State, Command, Event>,
    loaded: LoadedAggregate<State>,
    revision: bigint,
  ): Promise<{ entries: readonly (readonly [string, unknown])[]; keyFilter: KeyFilter | undefined }> {
    const whole = partitions.asOf(loaded.state) === undefined;
    const known = this.stored.get(loaded.streamId);
    if (known !== undefined && known.revision < revision && known.keyFilter !== undefined && (whole || (loaded.lineage !== undefined && known.lineage === loaded.lineage))) {
      const entries = partitions.changedEntries(known.state as State, loaded.state);
      return { entries, keyFilter: known.keyFilter.with(entries.map(([key]) => key)) };
    }
    const entries = partitions.entries(loaded.state);
    const base = whole ? KeyFilter.empty() : await loaded.lineage?.load();
    return { entries, keyFilter: base?.with(entries.map(([key]) => key)) };
  }

  private async find<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, streamId: string): Promise<Snapshot | undefined> {
    if (!this.snapshots) return undefined;
    try {
      const snapshot = await this.snapshots.load(streamId);
      return snapshot && snapshot.aggregate === type.name && snapshot.stateVersion === (type.stateVersion ?? 1) ? snapshot : undefined;
    } catch (error) {
      this.logger.warn(`snapshot of ${streamId} unavailable, folding from the start: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Stores a committed state in the background, after the stream's previous snapshot write (`queued`); a failure only
   * costs a longer load later. In parts: the entries
   * the state holds first (of a partial state, those it loaded or changed since its snapshot: the others' latest
   * rows are still theirs), then the key filter, then the header, which alone makes the snapshot visible.
   */
  private save<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, loaded: LoadedAggregate<State>, saved?: Saved): void {
    const snapshots = this.snapshots;
    const { revision, position } = loaded;
    if (!snapshots || revision === undefined || position === undefined) return;
    const partitions = type.partitions;
    const header = partitions ? partitions.header(loaded.state) : loaded.state;
    const write = async (): Promise<void> => {
      if (!partitions) {
        await snapshots.save({ streamId: loaded.streamId, aggregate: type.name, stateVersion: type.stateVersion ?? 1, revision, lastHash: loaded.lastHash, position, state: header });
        return;
      }
      const { entries, keyFilter } = await this.toStore(partitions, loaded, revision);
      await snapshots.saveEntries(loaded.streamId, revision, position, entries);
      const known = this.stored.get(loaded.streamId);
      if (known === undefined || known.revision < revision) this.stored.set(loaded.streamId, { revision, state: loaded.state, lineage: loaded.lineage, keyFilter });
      if (keyFilter !== undefined) await snapshots.saveKeyFilter(loaded.streamId, revision, position, keyFilter.serialize());
      await snapshots.save({ streamId: loaded.streamId, aggregate: type.name, stateVersion: type.stateVersion ?? 1, revision, lastHash: loaded.lastHash, position, state: header });
      saved?.(keyFilter);
    };
    const streamId = loaded.streamId;
    const saving: Promise<void> = (this.queued.get(streamId) ?? Promise.resolve())
      .then(write)
      .catch((error: unknown) => this.logger.warn(`snapshot of ${streamId} not saved: ${(error as Error).message}`))
      .finally(() => {
        this.saving.delete(saving);
        if (this.queued.get(streamId) === saving) this.queued.delete(streamId);
      });
    this.saving.add(saving);
    this.queued.set(streamId, saving);
  }
}
