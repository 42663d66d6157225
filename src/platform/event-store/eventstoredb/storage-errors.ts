import { ErrorType, isCommandError } from '@eventstore/db-client';

import { StorageUnavailable } from '../errors.js';

/**
 * Client errors (`@eventstore/db-client` 6.2, dist/utils/CommandError.js `convertToCommandError`) that say the
 * server cannot be reached or did not answer in time, not that the request is wrong: gRPC UNAVAILABLE (no
 * connection, server restarting), DEADLINE_EXCEEDED (the client's deadline), ABORTED (the server's own write
 * timeout, `TimeoutError`), NOT_LEADER (a cluster electing), CANCELLED by the server or the network (a client
 * cancellation is not converted by the client), UNKNOWN (any other gRPC failure: a broken stream, an internal
 * server error).
 */
const UNAVAILABLE_TYPES: ReadonlySet<ErrorType> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
  ErrorType.UNKNOWN,
]);

/** True for an error of the client that means "EventStoreDB unavailable now". */
function isEventStoreDbUnavailable(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof StorageUnavailable) return false;
  if (isCommandError(error)) return UNAVAILABLE_TYPES.has(error.type);
  // Cluster discovery (dist/Client/discovery.js) gives up with a plain Error when no node answers.
  return /^Failed to discover after \d+ attempts/.test(error.message);
}

/** The port's StorageUnavailable for such an error (the client's error as its cause); any other error unchanged. */
export function eventStoreDbStorageError(error: unknown, operation: 'append' | 'read'): unknown {
  // An append's own reads (the search for its ids) failed: the append is what could not be done.
  if (error instanceof StorageUnavailable) return error.operation === operation ? error : new StorageUnavailable(operation, { cause: error.cause });
  return isEventStoreDbUnavailable(error) ? new StorageUnavailable(operation, { cause: error }) : error;
}
