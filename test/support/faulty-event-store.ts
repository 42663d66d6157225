import Database from 'better-sqlite3';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { type RandomGenerator } from 'pure-rand/types/RandomGenerator';

import {
  type AppendOptions,
  type AppendResult,
  type CommitNotices,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../../src/platform/event-store/event-store.port.js';
import { sqliteStorageError } from '../../src/platform/event-store/sqlite/storage-errors.js';

/** How often each kind of operation fails while the store is not healed. */
export interface FaultRates {
  /** Fraction of appends that fail. */
  readonly appends: number;
  /** Fraction of readStream / readAll page / findEvent / headPosition calls that fail. */
  readonly reads: number;
  /** Fraction of failing appends whose events were written first. Default 0.5. */
  readonly writtenThenFailed?: number;
  /** Chance per delivered event that a subscription fails. Default reads / 20. */
  readonly subscriptionEvents?: number;
}

export interface FaultCounts {
  appends: number;
  appendsFailedBeforeWrite: number;
  appendsFailedAfterWrite: number;
  reads: number;
  readsFailed: number;
  subscriptionsFailed: number;
}

const PAGE = 512;

/** FAULT_SEED from the environment, else a random seed (print it, so that a failing run can be replayed). */
export function faultSeed(): number {
  const given = process.env.FAULT_SEED;
  return given !== undefined && given !== '' ? Number(given) : Math.floor(Math.random() * 2 ** 31);
}

/**
 * The error the SQLite adapter raises when its disk fails: the error better-sqlite3 raises (SQLITE_FULL on a
 * write, SQLITE_IOERR_READ on a read) mapped by the adapter's own `sqliteStorageError` (a StorageUnavailable).
 */
export function storageFault(operation: 'append' | 'read'): Error {
  const cause = operation === 'append' ? new Database.SqliteError('database or disk is full', 'SQLITE_FULL') : new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_READ');
  return sqliteStorageError(cause, operation) as Error;
}

/**
 * Fault injection for tests: an EventStore port in front of a REAL store (SQLite on disk) that fails a
 * fraction of its operations at random points, with a seeded PRNG (pure-rand's xoroshiro128+), until
 * `heal()`. What it throws is what the adapter throws when its disk fails (see `storageFault`).
 *
 * - append: fails before anything is written, or (the nasty case) after the real store wrote it: the
 *   caller gets an error for events that are in the log.
 * - readStream / readAll: fail at a random point of the iteration (before the first event, or after a
 *   few; readAll at each page of 512 events, as the adapter fetches them).
 * - subscribe: a subscription ends with the error at a random event (the store's page read failed).
 * - headPosition, findEvent: fail outright.
 *
 * A test prints its seed; FAULT_SEED=<n> (see `faultSeed`) replays the same sequence of decisions (the
 * interleaving of concurrent requests still varies from run to run).
 */
export class FaultyEventStore implements EventStore, CommitNotices {
  readonly kind: EventStore['kind'];
  readonly counts: FaultCounts = { appends: 0, appendsFailedBeforeWrite: 0, appendsFailedAfterWrite: 0, reads: 0, readsFailed: 0, subscriptionsFailed: 0 };
  private readonly rng: RandomGenerator;
  private rates: Required<FaultRates>;
  private healed = false;

  constructor(
    private readonly inner: EventStore & Partial<CommitNotices>,
    readonly seed: number,
    rates: FaultRates,
  ) {
    this.kind = inner.kind;
    this.rng = xoroshiro128plus(seed);
    this.rates = withDefaults(rates);
  }

  /** From now on every operation goes straight to the real store. */
  heal(): void {
    this.healed = true;
  }

  /** Faults again, at these rates (or the previous ones). */
  injure(rates?: FaultRates): void {
    if (rates) this.rates = withDefaults(rates);
    this.healed = false;
  }

  get isHealed(): boolean {
    return this.healed;
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    this.counts.appends++;
    if (!this.strikes(this.rates.appends)) return this.inner.append(streamId, events, expected, options);
    if (!this.strikes(this.rates.writtenThenFailed)) {
      this.counts.appendsFailedBeforeWrite++;
      throw storageFault('append');
    }
    // Written, and yet the caller is told it failed (a refusal of the real store is not a fault: it goes through).
    await this.inner.append(streamId, events, expected, options);
    this.counts.appendsFailedAfterWrite++;
    throw storageFault('append');
  }

  async findEvent(streamId: string, eventId: string): Promise<RecordedEvent | undefined> {
    if (this.readFault(0) !== undefined) throw this.readFailed();
    return this.inner.findEvent(streamId, eventId);
  }

  async *readStream(streamId: string, options?: ReadStreamOptions): AsyncGenerator<RecordedEvent> {
    const failAfter = this.readFault(3);
    let delivered = 0;
    for await (const event of this.inner.readStream(streamId, options)) {
      if (delivered === failAfter) throw this.readFailed();
      delivered++;
      yield event;
    }
    if (failAfter !== undefined) throw this.readFailed();
  }

  async *readAll(options?: ReadAllOptions): AsyncGenerator<RecordedEvent> {
    let failAfter = this.readFault(PAGE - 1);
    let delivered = 0;
    for await (const event of this.inner.readAll(options)) {
      if (delivered === failAfter) throw this.readFailed();
      delivered++;
      // The next page fetch.
      if (delivered % PAGE === 0 && failAfter === undefined) {
        const next = this.readFault(PAGE - 1);
        if (next !== undefined) failAfter = delivered + next;
      }
      yield event;
    }
    if (failAfter !== undefined) throw this.readFailed();
  }

  subscribe(options?: SubscribeOptions): Subscription {
    const inner = this.inner.subscribe(options);
    const failing = () => {
      if (!this.strikes(this.rates.subscriptionEvents)) return false;
      this.counts.subscriptionsFailed++;
      return true;
    };
    return {
      close: () => inner.close(),
      async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
        for await (const event of inner) {
          if (failing()) {
            await inner.close();
            throw storageFault('read');
          }
          yield event;
        }
      },
    };
  }

  async headPosition(): Promise<string | undefined> {
    if (this.readFault(0) !== undefined) throw this.readFailed();
    return this.inner.headPosition();
  }

  comparePositions(a: string, b: string): number {
    return this.inner.comparePositions(a, b);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  onCommit(listener: () => void): () => void {
    return this.inner.onCommit ? this.inner.onCommit(listener) : () => undefined;
  }

  notifyCommitted(): void {
    this.inner.notifyCommitted?.();
  }

  /** Undefined: this read succeeds; n: it fails after delivering n events (or at its end, if shorter). */
  private readFault(maxDelivered: number): number | undefined {
    this.counts.reads++;
    return this.strikes(this.rates.reads) ? uniformInt(this.rng, 0, maxDelivered) : undefined;
  }

  private readFailed(): Error {
    this.counts.readsFailed++;
    return storageFault('read');
  }

  private strikes(rate: number): boolean {
    if (this.healed || rate <= 0) return false;
    return uniformFloat64(this.rng) < rate;
  }
}

function withDefaults(rates: FaultRates): Required<FaultRates> {
  return { writtenThenFailed: 0.5, subscriptionEvents: rates.reads / 20, ...rates };
}
