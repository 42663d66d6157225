import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import { type DomainEvent } from '../../../domain/shared/event.js';
import { CONFIG, type Config, severalProcesses } from '../config/config.js';
import { WrongExpectedRevision } from '../event-store/errors.js';
import { type AppendResult, EVENT_STORE, type EventStore, type EventToAppend } from '../event-store/event-store.port.js';
import { findAppliedBefore } from './applied-before.js';
import { type AggregateType } from './aggregate-type.js';
import { decoding, type EventCodec } from './event-codec.js';
import { prepareAppend } from './command-events.js';
import { type CommandMetadata } from './command-metadata.js';
import { foldStream, foldStreamFromHeader } from './fold-stream.js';
import { GENESIS_HASH } from './hash-chain.js';
import { type KeyFilter, LineageFilter } from './key-filter.js';
import { KeyedLock } from './keyed-lock.js';
import { SnapshotPolicy } from './snapshot-policy.js';
import { type Snapshot, SNAPSHOT_STORE, type SnapshotStore } from './snapshots.js';

/** A stream folded into state, with what the next append needs: the revision and the last hash. */
export interface LoadedAggregate<State> {
  readonly streamId: string;
  readonly state: State;
  /** Revision of the last event; undefined when the stream does not exist yet. */
  readonly revision: bigint | undefined;
  readonly lastHash: string;
  /** Global position of the stream's last event, when known (an append still in flight has none yet). */
  readonly position: string | undefined;
  /**
   * A state loaded in part: its lineage (the snapshot it was loaded from), with the filter of the keys that snapshot
   * has entry rows for (a key it certainly lacks is never read), itself read once the lineage has asked for a few keys.
   */
  readonly lineage?: LineageFilter;
}

export interface Executed<State, Event> {
  readonly aggregate: LoadedAggregate<State>;
  /** What this command appended now: nothing when the decider found it already done, or when it was applied before. */
  readonly events: readonly Event[];
  /**
   * Global position of the last event this command appended; for a command applied before, the position of
   * the last event it appended then. Undefined when nothing was appended.
   */
  readonly position: string | undefined;
  /**
   * Set when the stream already held this command's events (same command id with deterministic event ids: an
   * Idempotency-Key request retried after its answer was lost). Nothing was decided or appended now; the
   * caller answers as it did the first time, from `aggregate` (the stream's current state) and these events.
   */
  readonly alreadyApplied?: AppliedBefore<Event>;
}

/** A command found in its stream: the events it appended then, and where the last of them is. */
export interface AppliedBefore<Event> {
  readonly events: readonly Event[];
  /** Revision of its last event. */
  readonly revision: bigint;
  /** Global position of its last event. */
  readonly position: string;
}

export interface ExecuteOptions {
  /** The client's If-Match: the command is refused when the stream is at another revision. */
  readonly expectedRevision?: bigint;
  /**
   * A precondition on something other than this stream (If-Match on the order of a payment), run once before
   * deciding. Like `expectedRevision`, it is skipped for a command applied before: its retry is answered.
   */
  readonly precondition?: () => Promise<void>;
}

/** The client's If-Match named a revision the stream is no longer at (412 revision_mismatch). */
export class RevisionMismatch extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: bigint,
    readonly actual: bigint | undefined,
  ) {
    super(`${streamId} is at revision ${actual === undefined ? 'none' : String(actual)}, not ${String(expected)}`);
    this.name = 'RevisionMismatch';
  }
}

/**
 * The command id (from the caller's Idempotency-Key) was first used for another request: its events carry
 * another request fingerprint. Nothing is decided or appended (422 idempotency_key_reused).
 */
export class CommandIdReused extends Error {
  constructor(
    readonly streamId: string,
    readonly commandId: string,
  ) {
    super(`command ${commandId} was applied to ${streamId} for another request`);
    this.name = 'CommandIdReused';
  }
}

/** How one command ended: `error` set when it was refused or failed. */
export interface CommandOutcome {
  readonly aggregate: string;
  readonly command: unknown;
  readonly error?: unknown;
}

const AGGREGATE_CACHE_SIZE = 20_000;
const MAX_ATTEMPTS = 8;
/** JXC_WORKERS > 1: attempts of a command whose stream another process appends to meanwhile, and the most a retry waits. */
const MAX_ATTEMPTS_SHARED = 30;
const SHARED_RETRY_MAX_WAIT_MS = 50;

/**
 * load -> fold -> decide -> append(expected revision) -> cache, for any aggregate.
 *
 * Commands on one stream hold a per-stream lock only while they decide and enqueue their append, not
 * while the store makes it durable: the next command decides on the state after the previous one's
 * events and appends at the next revision, so a hot stream's commands share group commits. When an
 * append fails, the cached state is dropped and the command retries on what the store holds.
 * A load that misses the cache (dropped after a failure, forgotten, evicted) first waits for the appends still
 * in flight on that stream: otherwise it would read the store without them, a command would decide on that
 * older state at the revision an in-flight append takes, and one pipelined behind it could then commit on a
 * state that never existed (a process step applied twice).
 * A keyed command first looks for itself in its stream (applied-before.ts); what is appended is
 * prepared in command-events.ts (ids, metadata, hash chain); snapshots: snapshot-policy.ts.
 */
@Injectable()
export class AggregateRepository {
  private readonly cache = new LRUCache<string, LoadedAggregate<unknown>>({ max: AGGREGATE_CACHE_SIZE });
  private readonly locks = new KeyedLock();
  /** The latest state known to be in the store, per stream (the cache may hold one decided on in-flight appends). */
  private readonly committed = new LRUCache<string, LoadedAggregate<unknown>>({ max: AGGREGATE_CACHE_SIZE });
  /** Per stream, settles when every append enqueued on it so far has succeeded or failed. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly observers: ((outcome: CommandOutcome) => void)[] = [];
  private readonly codecs = new Map<string, EventCodec>();
  private readonly counters = { hits: 0, loads: 0, conflicts: 0 };
  private committedThrough: string | undefined;
  private readonly logger = new Logger('AggregateRepository');
  private readonly snapshots: SnapshotPolicy;
  /**
   * JXC_WORKERS > 1: other processes append to the same store, so a cached state may be behind it. A state taken
   * from the cache is then checked against the stream's last revision in the store (one indexed read) and read
   * again when another process appended meanwhile: nothing is decided on another stream from a stale state (an
   * unknown product or customer cached as absent), and commands rarely conflict on a stale cache. Appends stay
   * exact either way (expected revision inside the store's write transaction), and commands still pipeline behind
   * this process's appends in flight: such an append also names the event it expects at its revision (appendAfter).
   */
  private readonly shared: boolean;
  /**
   * Several processes on a store that cannot name the event it expects at a revision (EventStoreDB: the server has no
   * such condition): no command is decided on an append still in flight. Each holds the stream's lock until its
   * append settles, so the next decides on a committed state (or, after a failure, on what the store holds), whose
   * revision says it all. Slower on a hot stream (one append at a time per stream and process), never wrong.
   */
  private readonly waitsForAppends: boolean;
  /**
   * Several processes: a state decided on an append still in flight (the `after` the cache holds until the append
   * settles and is replaced by its settled copy), with the id of that append's last event (appendAfter).
   */
  private readonly decidedOn = new WeakMap<LoadedAggregate<unknown>, string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(SNAPSHOT_STORE) snapshots?: SnapshotStore,
    @Optional() @Inject(CONFIG) config?: Config,
  ) {
    this.snapshots = new SnapshotPolicy(store, snapshots, this.logger, config?.snapshotEvery);
    this.shared = config !== undefined && severalProcesses(config);
    this.waitsForAppends = this.shared && store.kind !== 'sqlite';
  }

  /**
   * The stream's state as the store holds it. The cache may be ahead of the store (a decided append still in
   * flight, which may yet fail): a reader is given the last committed state instead, so that nothing is decided
   * elsewhere (a process step on another stream) on events that may never exist.
   * `keys`: for an aggregate kept in parts (stock), the entries the caller reads (`order:<id>`, `transfer:<id>`);
   * a state loaded from a partitioned snapshot holds only those (and the ones it changed since) and throws on others.
   */
  async load<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, streamId: string, keys: readonly string[] = []): Promise<LoadedAggregate<State>> {
    const loaded = await this.loadKnown(type, streamId, keys);
    if (!this.shared || (await this.current(streamId, loaded))) return this.withKeys(type, loaded, keys, false);
    // Another process appended to the stream since: read it again, after this process's own appends in flight.
    await this.inFlight.get(streamId);
    this.cache.delete(streamId);
    this.committed.delete(streamId);
    return this.withKeys(type, await this.locks.run(streamId, () => this.loadUnlocked(type, streamId, keys)), keys, false);
  }

  /**
   * `loaded` with the entries of `keys` it has not loaded yet, read from the snapshot its partial state stands on
   * (an entry it has not loaded was not changed since). `keep` (under the stream's lock): the cache holds the
   * widened state from now on, in place of `loaded`. Synchronous unless an entry must be read: a command holds the
   * stream's lock here, and an `await` would queue it behind every other pending continuation (a hot stream's
   * pipeline), for nothing when all its keys are loaded or certainly new.
   */
  private withKeys<State, Command, Event extends DomainEvent>(
    type: AggregateType<State, Command, Event>,
    loaded: LoadedAggregate<State>,
    keys: readonly string[],
    keep: boolean,
  ): LoadedAggregate<State> | Promise<LoadedAggregate<State>> {
    const partitions = type.partitions;
    const entries = this.snapshots.entries;
    if (partitions === undefined || entries === undefined || keys.length === 0) return loaded;
    const missing = partitions.missing(loaded.state, keys);
    const asOf = partitions.asOf(loaded.state);
    if (missing.length === 0 || asOf === undefined) return loaded;
    const widen = (found: ReadonlyMap<string, unknown>): LoadedAggregate<State> => {
      const widened: LoadedAggregate<State> = { ...loaded, state: partitions.withEntries(loaded.state, missing, found, asOf) };
      if (keep) this.replaceCached(loaded, widened);
      return widened;
    };
    const found = this.storedEntries(entries, loaded.streamId, missing, BigInt(asOf), loaded.lineage);
    return found instanceof Promise ? found.then(widen) : widen(found);
  }

  /**
   * The entries of `keys` in the partitioned snapshot at `asOf`. A key its lineage's filter certainly lacks (a new
   * order) has no entry and is not read; when none is left, the answer is immediate (no I/O, no await).
   */
  private storedEntries(entries: SnapshotStore, streamId: string, keys: readonly string[], asOf: bigint, lineage: LineageFilter | undefined): Map<string, unknown> | Promise<Map<string, unknown>> {
    const stored = lineage === undefined ? keys : lineage.mayHave(keys);
    return stored.length === 0 ? new Map<string, unknown>() : entries.loadEntries(streamId, stored, asOf);
  }

  /** Wherever the cache holds `previous` (the latest state, the latest committed), it holds `next` instead. */
  private replaceCached(previous: LoadedAggregate<unknown>, next: LoadedAggregate<unknown>): void {
    if (this.cache.get(previous.streamId) === previous) this.cache.set(previous.streamId, next);
    if (this.committed.get(previous.streamId) === previous) this.committed.set(previous.streamId, next);
    const decidedOn = this.decidedOn.get(previous);
    if (decidedOn !== undefined) this.decidedOn.set(next, decidedOn);
  }

  /**
   * A partitioned snapshot of `saved` is stored: the states cached for its stream (the latest, which may be ahead of
   * it by commands pipelined since, and the latest committed) keep only the entries changed since it, partial as of
   * its revision, so a hot position's cached state holds the entries used since the last snapshot, not every order's.
   * A cached state of another lineage (loaded again since) is left as it is.
   */
  private rebase<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, saved: LoadedAggregate<State>, keyFilter: KeyFilter | undefined): void {
    const partitions = type.partitions;
    if (partitions === undefined || saved.revision === undefined) return;
    // The new lineage: the states rebased on this snapshot, whose filter is at hand.
    const lineage = keyFilter === undefined ? undefined : LineageFilter.of(keyFilter);
    const rebased = new Map<LoadedAggregate<unknown>, LoadedAggregate<unknown>>();
    for (const cached of [this.cache.get(saved.streamId), this.committed.get(saved.streamId)] as (LoadedAggregate<State> | undefined)[]) {
      if (cached === undefined || rebased.has(cached) || cached.revision === undefined || cached.revision < saved.revision || cached.lineage !== saved.lineage) continue;
      const changed = partitions.changedEntries(saved.state, cached.state);
      const state = partitions.withEntries(partitions.header(cached.state), changed.map(([key]) => key), new Map(changed), String(saved.revision));
      const { lineage: _previous, ...rest } = cached;
      const next = lineage === undefined ? { ...rest, state } : { ...rest, state, lineage };
      rebased.set(cached, next);
      this.replaceCached(cached, next);
    }
    // The cached lineage now starts at this snapshot: the state kept to diff the next one against is not needed.
    if (rebased.size > 0) this.snapshots.forgetStored(saved.streamId);
  }

  /** True when `loaded` is at the stream's last revision in the store. */
  private async current(streamId: string, loaded: LoadedAggregate<unknown>): Promise<boolean> {
    for await (const last of this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) return last.revision === loaded.revision;
    return loaded.revision === undefined;
  }

  private async loadKnown<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, streamId: string, keys: readonly string[]): Promise<LoadedAggregate<State>> {
    for (let pending = this.inFlight.get(streamId); pending !== undefined; pending = this.inFlight.get(streamId)) {
      const committed = this.committed.get(streamId) as LoadedAggregate<State> | undefined;
      if (committed) {
        this.counters.hits++;
        return committed;
      }
      await pending;
    }
    const cached = this.cache.get(streamId) as LoadedAggregate<State> | undefined;
    if (cached) {
      this.counters.hits++;
      return cached;
    }
    return this.locks.run(streamId, () => this.loadUnlocked(type, streamId, keys));
  }

  /** From now on the aggregate's events are encoded when appended and decoded when read (event-codec.ts). */
  useCodec(aggregateName: string, codec: EventCodec): void {
    this.codecs.set(aggregateName, codec);
  }

  /** Tells `observer` how each command ended, after its append (metrics count outcomes by aggregate and command). */
  observeCommands(observer: (outcome: CommandOutcome) => void): void {
    this.observers.push(observer);
  }

  async execute<State, Command, Event extends DomainEvent>(
    type: AggregateType<State, Command, Event>,
    streamId: string,
    command: Command,
    metadata: CommandMetadata,
    options: ExecuteOptions = {},
  ): Promise<Executed<State, Event>> {
    try {
      const executed = await this.decideAndAppend(type, streamId, command, metadata, options);
      for (const observer of this.observers) observer({ aggregate: type.name, command });
      return executed;
    } catch (error) {
      for (const observer of this.observers) observer({ aggregate: type.name, command, error });
      throw error;
    }
  }

  private async decideAndAppend<State, Command, Event extends DomainEvent>(
    type: AggregateType<State, Command, Event>,
    streamId: string,
    command: Command,
    metadata: CommandMetadata,
    options: ExecuteOptions,
  ): Promise<Executed<State, Event>> {
    // A keyed command looks for itself before deciding: applied before, it is answered, never decided again
    // on a state it changed itself (a second approval of an order it cancelled would be refused).
    const keys = type.partitions?.ofCommand(command) ?? [];
    const applied = await this.appliedBefore(type, streamId, metadata);
    if (applied) return this.answerApplied(type, streamId, applied, keys);
    await options.precondition?.();
    for (let attempt = 1; ; attempt++) {
      const release = await this.locks.acquire(streamId);
      let before: LoadedAggregate<State>;
      let events: Event[];
      let after: LoadedAggregate<State>;
      let appended: Promise<AppendResult>;
      try {
        const widened = this.withKeys(type, await this.loadUnlocked(type, streamId, keys), keys, true);
        before = widened instanceof Promise ? await widened : widened;
        if (options.expectedRevision !== undefined && before.revision !== options.expectedRevision) {
          throw new RevisionMismatch(streamId, options.expectedRevision, before.revision);
        }
        events = type.decide(command, before.state, { actor: metadata.actor, now: metadata.now });
        if (events.length === 0) return { aggregate: before, events, position: undefined };
        const codec = await this.codecs.get(type.name)?.forStream(streamId, events);
        const prepared = prepareAppend(type, before, events, metadata, codec);
        after = prepared.after;
        appended = this.appendAfter(streamId, before, prepared.toAppend);
        const settling = this.appending(streamId, after, appended, prepared.toAppend[prepared.toAppend.length - 1].eventId);
        if (settling) await settling;
      } finally {
        release();
      }
      try {
        const result = await appended;
        if (result.nextExpectedRevision !== after.revision) {
          // The store already held these event ids (the same command, applied meanwhile): it appended nothing now.
          this.cache.delete(streamId);
          const meanwhile = await this.appliedBefore(type, streamId, metadata);
          if (meanwhile) return this.answerApplied(type, streamId, meanwhile, keys);
          return { aggregate: await this.load(type, streamId, keys), events: [], position: result.position };
        }
        this.noteCommitted(result.position);
        const settled = { ...after, position: result.position };
        if (!this.codecs.has(type.name)) this.snapshots.afterCommand(type, before.revision, settled, (keyFilter) => this.rebase(type, settled, keyFilter));
        if (this.cache.get(streamId) === after) this.cache.set(streamId, settled);
        this.noteCommittedState(streamId, settled);
        return { aggregate: settled, events, position: result.position };
      } catch (error) {
        // Commands pipelined behind this one decided on its events: their appends fail the same way and retry too.
        this.cache.delete(streamId);
        if (error instanceof WrongExpectedRevision && attempt < (this.shared ? MAX_ATTEMPTS_SHARED : MAX_ATTEMPTS)) {
          this.counters.conflicts++;
          // Several processes: their pipelines on a hot stream fail each other's in waves; a short random wait
          // spreads the retries out instead of failing them again together.
          if (this.shared) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(SHARED_RETRY_MAX_WAIT_MS, 2 ** attempt)));
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * Under the stream's lock, once `after` was decided and its append started: the cache holds `after`, so that the
   * next command pipelines behind it (several processes: naming its last event, `decidedOn`). With `waitsForAppends`
   * the append settles first instead (the promise returned), and a failed one leaves no cached state. Synchronous
   * otherwise: the command path takes no extra turn under the lock.
   */
  private appending(streamId: string, after: LoadedAggregate<unknown>, appended: Promise<AppendResult>, lastEventId: string): Promise<void> | undefined {
    if (this.shared && !this.waitsForAppends) this.decidedOn.set(after, lastEventId);
    this.trackInFlight(streamId, appended);
    this.cache.set(streamId, after);
    if (!this.waitsForAppends) return undefined;
    return appended.then(
      () => undefined,
      () => void this.cache.delete(streamId),
    );
  }

  /**
   * Appends at `before`'s revision. Several processes: when `before` was decided on an append of this process still
   * in flight (pipelined), the append also names that append's last event as the one expected at the revision.
   * Another process's append may take that revision first (failing the one in flight); the revision alone would
   * then match, and this command be accepted on a state that never existed (a reservation made twice). With the
   * event named the store refuses it (WrongExpectedRevision) and the command is decided again on what is stored.
   * A state loaded from the store, or settled, needs nothing: it is committed, so its revision says it all.
   */
  private appendAfter(streamId: string, before: LoadedAggregate<unknown>, events: readonly EventToAppend[]): Promise<AppendResult> {
    const expected = before.revision ?? 'no_stream';
    const expectedLastEventId = this.shared ? this.decidedOn.get(before) : undefined;
    if (expectedLastEventId === undefined) return this.store.append(streamId, events, expected);
    return this.store.append(streamId, events, expected, { expectedLastEventId });
  }

  /** The events this command appended before (a keyed command retried); refused when they were for another request. */
  private async appliedBefore<State, Command, Event extends DomainEvent>(
    type: AggregateType<State, Command, Event>,
    streamId: string,
    metadata: CommandMetadata,
  ): Promise<AppliedBefore<Event> | undefined> {
    const found = await findAppliedBefore(this.store, await this.reading(type, streamId), streamId, metadata);
    if (found === 'another-request') throw new CommandIdReused(streamId, metadata.commandId);
    return found;
  }

  /** A command applied before: the stream's state now (reloaded if the cache is older than those events). */
  private async answerApplied<State, Command, Event extends DomainEvent>(
    type: AggregateType<State, Command, Event>,
    streamId: string,
    applied: AppliedBefore<Event>,
    keys: readonly string[],
  ): Promise<Executed<State, Event>> {
    let aggregate = await this.load(type, streamId, keys);
    if (aggregate.revision === undefined || aggregate.revision < applied.revision) {
      this.cache.delete(streamId);
      aggregate = await this.load(type, streamId, keys);
    }
    this.noteCommitted(applied.position);
    return { aggregate, events: [], position: applied.position, alreadyApplied: applied };
  }

  /** Resolves when every snapshot write started so far has finished. */
  async flushSnapshots(): Promise<void> {
    await this.snapshots.flush();
  }

  /** Cache hits, store loads and retried conflicts since start (exposed on /api/metrics). */
  stats(): Readonly<{ hits: number; loads: number; conflicts: number; cached: number }> {
    return { ...this.counters, cached: this.cache.size };
  }

  /**
   * The highest log position an append through this repository has reached. Every event at or below it
   * was committed before the caller asked, so a state loaded afterwards includes it.
   */
  highWatermark(): string | undefined {
    return this.committedThrough;
  }

  private noteCommitted(position: string): void {
    if (this.committedThrough === undefined || this.store.comparePositions(position, this.committedThrough) > 0) this.committedThrough = position;
  }

  /** Forgets a cached stream, e.g. after something outside this process appended to it. */
  forget(streamId: string): void {
    this.cache.delete(streamId);
    this.committed.delete(streamId);
  }

  private noteCommittedState(streamId: string, state: LoadedAggregate<unknown>): void {
    const known = this.committed.get(streamId);
    if (known === undefined || (known.revision ?? -1n) < (state.revision ?? -1n)) this.committed.set(streamId, state);
  }

  /** Called under the stream's lock, so appends settle in the order they were enqueued. */
  private trackInFlight(streamId: string, appended: Promise<AppendResult>): void {
    const previous = this.inFlight.get(streamId);
    const settled = Promise.all([previous, appended]).then(() => undefined, () => previous).then(() => undefined);
    this.inFlight.set(streamId, settled);
    void settled.then(() => {
      if (this.inFlight.get(streamId) === settled) this.inFlight.delete(streamId);
    });
  }

  private async loadUnlocked<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, streamId: string, keys: readonly string[] = []): Promise<LoadedAggregate<State>> {
    const cached = this.cache.get(streamId) as LoadedAggregate<State> | undefined;
    // Several processes: a cached state with no append of this process in flight is checked against the store
    // (one ahead of the store by this process's own appends is checked by those appends' expected revisions).
    if (cached && this.shared && !this.inFlight.has(streamId) && !(await this.current(streamId, cached))) {
      this.cache.delete(streamId);
      this.committed.delete(streamId);
    } else if (cached) {
      this.counters.hits++;
      return cached;
    }
    // Under the stream's lock nothing new is enqueued meanwhile: once these settle, the store holds every append.
    await this.inFlight.get(streamId);
    const settledMeanwhile = this.cache.get(streamId) as LoadedAggregate<State> | undefined;
    if (settledMeanwhile) return settledMeanwhile;
    this.counters.loads++;
    const snapshot = this.codecs.has(type.name) ? undefined : await this.snapshots.toLoadFrom(type, streamId);
    if (snapshot === 'empty') {
      const empty: LoadedAggregate<State> = { streamId, state: type.initialState, revision: undefined, lastHash: GENESIS_HASH, position: undefined };
      this.cache.set(streamId, empty);
      this.noteCommittedState(streamId, empty);
      return empty;
    }
    const loaded = (snapshot && (await this.fold(type, streamId, snapshot, keys))) ?? (await this.fold(type, streamId, undefined, keys))!;
    this.cache.set(streamId, loaded);
    this.noteCommittedState(streamId, loaded);
    return loaded;
  }

  /** Folds the stream from the snapshot, or from the start when there is none or it does not match the stream. */
  private async fold<State, Command, Event extends DomainEvent>(
    type: AggregateType<State, Command, Event>,
    streamId: string,
    snapshot: Snapshot | undefined,
    keys: readonly string[],
  ): Promise<LoadedAggregate<State> | undefined> {
    const reading = await this.reading(type, streamId);
    const partitions = type.partitions;
    const entries = this.snapshots.entries;
    // In parts: the header, then the entries asked for and those the events after it change, then those events.
    // The snapshot's key filter is not read now: it grows with every order the position ever saw (lineage).
    const lineage = snapshot && partitions && entries ? LineageFilter.stored(() => this.snapshots.keyFilter(streamId, snapshot.revision)) : undefined;
    const result =
      snapshot && partitions && entries
        ? await foldStreamFromHeader(this.store, reading, streamId, snapshot, async (events) => {
            const needed = [...new Set([...keys, ...events.flatMap((event) => partitions.ofEvent(event))])];
            const found = await this.storedEntries(entries, streamId, needed, snapshot.revision, lineage);
            return partitions.withEntries(snapshot.state as State, needed, found, String(snapshot.revision));
          })
        : await foldStream(this.store, reading, streamId, snapshot);
    if (!result) {
      this.logger.warn(`snapshot of ${streamId} at revision ${String(snapshot!.revision)} does not match the stream; folding from the start`);
      return undefined;
    }
    const loaded: LoadedAggregate<State> = lineage === undefined ? result.loaded : { ...result.loaded, lineage };
    if (!this.codecs.has(type.name)) this.snapshots.afterFold(type, loaded, result.folded, (filter) => this.rebase(type, loaded, filter));
    return loaded;
  }

  /** The type as this stream's events are read: through the aggregate's codec when it has one. */
  private async reading<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, streamId: string): Promise<AggregateType<State, Command, Event>> {
    const codec = this.codecs.get(type.name);
    return codec ? decoding(type, await codec.forStream(streamId)) : type;
  }
}
