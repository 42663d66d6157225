import { type AnyBulkWriteOperation, type Document, MongoBulkWriteError, MongoServerError } from 'mongodb';

import { DuplicateKey, InvalidViewWrite } from '../errors.js';
import { type ViewDefinition, type ViewWrite } from '../read-store.port.js';
import { toStoredFields } from './bson-values.js';

const DUPLICATE_KEY = 11000;

/** Stored shape: `_id` instead of `id`, times as BSON dates and large integers as int64 (bson-values.ts). */
export interface StoredDocument extends Document {
  _id: string;
  position: string;
}

/**
 * A write as a bulk operation: replacement upserts and `$set`/`$inc`/`$setOnInsert` updates only
 * (no pipeline updates: FerretDB 1.24 has none).
 */
export function bulkOperation(write: ViewWrite): AnyBulkWriteOperation<StoredDocument> {
  switch (write.type) {
    case 'upsert': {
      const { id, position, ...fields } = write.document;
      return { replaceOne: { filter: { _id: id }, replacement: { position, ...toStoredFields(fields) }, upsert: true } };
    }
    case 'patch': {
      const update: Document = { $set: { ...toStoredFields(write.set ?? {}), position: write.position } };
      if (write.inc && Object.keys(write.inc).length > 0) update.$inc = toStoredFields(write.inc);
      if (write.setOnInsert && Object.keys(write.setOnInsert).length > 0) update.$setOnInsert = toStoredFields(write.setOnInsert);
      return { updateOne: { filter: { _id: write.id }, update, upsert: write.upsert === true } };
    }
    case 'delete':
      return { deleteOne: { filter: { _id: write.id } } };
    default: {
      const unknown: never = write;
      throw new Error(`unhandled write ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Whether a batch may go as an unordered bulk write (which the server may apply in any order, or in parallel):
 * only when order cannot change the outcome, that is each document is written once and no unique index lets one
 * write free a key another takes. A projection batch is such a batch (one write per changed document).
 */
export function orderIrrelevant(definition: ViewDefinition, writes: readonly ViewWrite[]): boolean {
  if (definition.indexes.some((index) => index.unique === true)) return false;
  const ids = new Set<string>();
  for (const write of writes) {
    const id = write.type === 'upsert' ? write.document.id : write.id;
    if (ids.has(id)) return false;
    ids.add(id);
  }
  return true;
}

/** Server refusals as the port's errors; anything else (network, auth) is rethrown as it is. */
export function translateWriteError(error: unknown, view: string, writes: readonly ViewWrite[]): unknown {
  if (error instanceof MongoBulkWriteError) {
    const [first] = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (first === undefined) return error;
    if (first.code === DUPLICATE_KEY) return new DuplicateKey(view, first.errmsg ?? error.message);
    const write = writes[first.index];
    return new InvalidViewWrite(write?.type === 'upsert' ? write.document.id : write?.id, first.errmsg ?? error.message);
  }
  if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return new DuplicateKey(view, error.message);
  return error;
}
