import { Injectable, Logger } from '@nestjs/common';

import { StorageUnavailable } from './errors.js';
import { type EventStore } from './event-store.port.js';
import { type Method, wrapMethods } from '../wrap-methods.js';

export type StoreStatus = 'ok' | 'unavailable';
export type StoreOperation = 'append' | 'read';

/** What /api/health shows of the event store: no error text, only states and since when. */
export interface StoreHealthSnapshot {
  /** `unavailable` while appends or reads fail with StorageUnavailable. */
  readonly status: StoreStatus;
  readonly writes: StoreStatus;
  readonly reads: StoreStatus;
  /** ISO time of the first failure of the current outage; null while `ok`. */
  readonly since: string | null;
}

interface Outage {
  readonly since: Date;
  failures: number;
}

/**
 * Whether the event store can write and read now, as the service last saw it: `unavailable` from an append
 * (or a read) that failed with StorageUnavailable until an append (or a read) succeeds again. Fed by
 * `withStoreHealth`, read by /api/health. The driver's error goes to the log once per outage, never to a client.
 */
@Injectable()
export class StoreHealth {
  private readonly logger = new Logger('EventStore');
  private readonly outages = new Map<StoreOperation, Outage>();

  failed(operation: StoreOperation, error: unknown): void {
    const outage = this.outages.get(operation);
    if (outage) {
      outage.failures++;
      return;
    }
    this.outages.set(operation, { since: new Date(), failures: 1 });
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.error(`${operation === 'append' ? 'appends' : 'reads'} failing, store unavailable: ${detail}`);
  }

  succeeded(operation: StoreOperation): void {
    const outage = this.outages.get(operation);
    if (!outage) return;
    this.outages.delete(operation);
    this.logger.log(`${operation === 'append' ? 'appends' : 'reads'} succeed again after ${outage.failures} failed (since ${outage.since.toISOString()})`);
  }

  status(): StoreStatus {
    return this.outages.size === 0 ? 'ok' : 'unavailable';
  }

  snapshot(): StoreHealthSnapshot {
    const starts = [...this.outages.values()].map((outage) => outage.since.getTime());
    return {
      status: this.status(),
      writes: this.outages.has('append') ? 'unavailable' : 'ok',
      reads: this.outages.has('read') ? 'unavailable' : 'ok',
      since: starts.length === 0 ? null : new Date(Math.min(...starts)).toISOString(),
    };
  }
}

/**
 * How long the service waits for one answer of a remote event store's read (a head position, the next event of
 * a read) before the read fails with StorageUnavailable. EventStoreDB's client 6.2 sets no deadline on reads
 * (`deadline: Infinity`) nor on the server-features call before the first append: a server that accepts
 * connections and never answers would hold a request for ever. Reads have no side effect, so giving up is safe.
 * An append is given up after REMOTE_APPEND_DEADLINE_MS: it may still be written later, which is why the answer
 * is 503 storage_unavailable (retry) and a retry with the same Idempotency-Key finds it (AggregateRepository
 * looks for a keyed command's events before deciding). The embedded store is synchronous and not bounded.
 */
const REMOTE_READ_DEADLINE_MS = 10_000;
const REMOTE_APPEND_DEADLINE_MS = 15_000;

export interface StoreHealthOptions {
  /** Default REMOTE_READ_DEADLINE_MS for EventStoreDB, none for SQLite. */
  readonly readDeadlineMs?: number;
  /** Default REMOTE_APPEND_DEADLINE_MS for EventStoreDB, none for SQLite. */
  readonly appendDeadlineMs?: number;
}

/**
 * The event store as the service uses it, reporting to `health`: a call that fails with StorageUnavailable
 * marks its operation unavailable, an append (or a read) that succeeds marks it available again. Everything
 * else of the store (commit notices, stats, methods added to the port later) passes through unchanged: a Proxy,
 * so the decorator never hides a member of the adapter. Methods whose name starts with `append` count as
 * writes, bounded by the append deadline; `readStream`, `readAll` and `headPosition` as reads, bounded by the
 * read deadline.
 */
export function withStoreHealth<S extends EventStore>(store: S, health: StoreHealth, options: StoreHealthOptions = {}): S {
  const remote = store.kind === 'eventstoredb';
  const deadline = options.readDeadlineMs ?? (remote ? REMOTE_READ_DEADLINE_MS : undefined);
  const deadlines: Record<StoreOperation, number | undefined> = { read: deadline, append: options.appendDeadlineMs ?? (remote ? REMOTE_APPEND_DEADLINE_MS : undefined) };
  const onFailure = (operation: StoreOperation | undefined) => (error: unknown) => {
    if (error instanceof StorageUnavailable) health.failed(operation ?? error.operation, error);
    throw error;
  };
  const wrap = (name: PropertyKey, method: Method): unknown => {
    if (name === 'readStream' || name === 'readAll') {
      return (...args: unknown[]) => trackedIterable(method.apply(store, args) as AsyncIterable<unknown>, health, deadline);
    }
    const operation: StoreOperation | undefined =
      typeof name === 'string' && name.startsWith('append') ? 'append' : name === 'headPosition' ? 'read' : undefined;
    return (...args: unknown[]) => {
      const result = method.apply(store, args);
      if (!isPromiseLike(result)) return result;
      const answer = operation ? withDeadline(Promise.resolve(result), deadlines[operation], operation) : Promise.resolve(result);
      return answer.then((value) => {
        if (operation) health.succeeded(operation);
        return value;
      }, onFailure(operation));
    };
  };
  return wrapMethods(store, wrap);
}

function trackedIterable<T>(iterable: AsyncIterable<T>, health: StoreHealth, deadline: number | undefined): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let iterator: AsyncIterator<T>;
      try {
        iterator = iterable[Symbol.asyncIterator]();
      } catch (error) {
        if (error instanceof StorageUnavailable) health.failed('read', error);
        throw error;
      }
      return {
        next: async (...args: [] | [unknown]) => {
          try {
            const result = await withDeadline(iterator.next(...args), deadline, 'read', () => void iterator.return?.()?.catch(() => undefined));
            health.succeeded('read');
            return result;
          } catch (error) {
            if (error instanceof StorageUnavailable) health.failed('read', error);
            throw error;
          }
        },
        return: async (value?: unknown) => (iterator.return ? iterator.return(value) : { done: true as const, value: value as T }),
        throw: async (error?: unknown) => {
          if (iterator.throw) return iterator.throw(error);
          throw error;
        },
      };
    },
  };
}

/** `promise`, or StorageUnavailable(operation) after `deadline` ms (then `abandon` cancels a read); as is without a deadline. */
function withDeadline<T>(promise: Promise<T>, deadline: number | undefined, operation: StoreOperation, abandon?: () => void): Promise<T> {
  if (deadline === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => undefined);
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandon?.();
      reject(new StorageUnavailable(operation, { cause: new Error(`no answer within ${deadline} ms`) }));
    }, deadline);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
