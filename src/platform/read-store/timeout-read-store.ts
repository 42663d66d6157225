import { ReadStoreError, ReadStoreUnavailable } from './errors.js';
import { type ReadStore } from './read-store.port.js';
import { type Method, wrapMethods } from '../wrap-methods.js';
import { isSqliteStorageFailure } from '../sqlite-errors.js';

/** How long a query of the service waits for the read store before it answers 503 read_store_unavailable. */
export const READ_TIMEOUT_MS = 2000;

/** Methods that only read: bounded in time. Writes (writeBatch, writeBatches, setCheckpoint, ensureView, generations) are not, since a write that timed out here may still be applied there. */
const TIMED_READS = new Set<PropertyKey>(['get', 'getMany', 'query', 'count', 'getCheckpoint', 'getCheckpointRecord', 'liveGeneration', 'listGenerations']);

/**
 * MongoDB driver errors (by name, so this module does not load the driver) that say the server cannot be
 * reached now: no server selected within serverSelectionTimeoutMS, a connection that broke or timed out,
 * a pool cleared after a failed heartbeat.
 */
const UNREACHABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
  'MongoTopologyClosedError',
  'MongoOperationTimeoutError',
]);
/** MongoDB server codes of a node shutting down or stepping down (ShutdownInProgress, InterruptedAtShutdown, PrimarySteppedDown, NotWritablePrimary, NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary). */
const UNREACHABLE_CODES = new Set([91, 11600, 189, 10107, 13435, 13436]);

/** True when `error` says the read store is unreachable or unusable now, not that the request is wrong. */
function isReadStoreUnreachable(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof ReadStoreError) return error instanceof ReadStoreUnavailable;
  const { code } = error as { code?: unknown };
  if (UNREACHABLE_NAMES.has(error.name)) return true;
  if (error.name === 'MongoServerError' && typeof code === 'number') return UNREACHABLE_CODES.has(code);
  return isSqliteStorageFailure(error);
}

function unavailable(error: unknown): unknown {
  if (error instanceof ReadStoreUnavailable || !isReadStoreUnreachable(error)) return error;
  return new ReadStoreUnavailable('the driver reports it unreachable', { cause: error });
}

/** `promise`, or ReadStoreUnavailable once `timeoutMs` has passed; a late failure of the abandoned call is ignored. */
function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadStoreUnavailable(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).then(
    (value) => {
      clearTimeout(timer);
      return value;
    },
    (error: unknown) => {
      clearTimeout(timer);
      throw unavailable(error);
    },
  );
}

/**
 * The read store as the service's queries use it: every read (get, getMany, query, count, each page of a
 * scan, checkpoints, generations) answers within `timeoutMs` or fails with ReadStoreUnavailable, and a
 * driver error that means "unreachable" becomes ReadStoreUnavailable too; the HTTP layer answers both with
 * `503 read_store_unavailable`. Applied once, in ReadStoreModule, so every query route has it; the projection
 * worker and the CLI open their own stores without it (a rebuild's long reads are not cut short). Writes pass
 * through untouched. A Proxy, so members of the adapter outside the port stay reachable.
 */
export function withReadTimeout<S extends ReadStore>(store: S, timeoutMs: number = READ_TIMEOUT_MS): S {
  const wrap = (name: PropertyKey, method: Method): unknown => {
    if (name === 'scan') {
      return (...args: unknown[]) => boundedIterable(method.apply(store, args) as AsyncIterable<unknown>, timeoutMs);
    }
    if (!TIMED_READS.has(name)) return method.bind(store);
    return (...args: unknown[]) => {
      let result: Promise<unknown>;
      try {
        result = Promise.resolve(method.apply(store, args));
      } catch (error) {
        return Promise.reject(unavailable(error));
      }
      return bounded(result, timeoutMs, `${store.kind} read store (${String(name)})`);
    };
  };
  return wrapMethods(store, wrap);
}

function boundedIterable<T>(iterable: AsyncIterable<T>, timeoutMs: number): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = iterable[Symbol.asyncIterator]();
      return {
        next: () => bounded(iterator.next(), timeoutMs, 'read store (scan)'),
        return: async (value?: unknown) => (iterator.return ? iterator.return(value) : { done: true as const, value: value as T }),
      };
    },
  };
}
