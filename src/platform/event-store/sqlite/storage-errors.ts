import { isSqliteStorageFailure } from '../../sqlite-errors.js';
import { StorageUnavailable } from '../errors.js';

/** The port's StorageUnavailable for an error that says the file cannot be used now (the driver's error as its cause); any other error unchanged. */
export function sqliteStorageError(error: unknown, operation: 'append' | 'read'): unknown {
  return isSqliteStorageFailure(error) ? new StorageUnavailable(operation, { cause: error }) : error;
}
