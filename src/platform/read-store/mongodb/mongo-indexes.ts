import { type Db, type IndexDescription, MongoServerError } from 'mongodb';

import { type ViewDefinition } from '../read-store.port.js';
import { indexKey, indexedKeys } from '../view-definition.js';
import { mongoField } from './mongo-filter.js';

const NAMESPACE_EXISTS = 48;
const NAMESPACE_NOT_FOUND = 26;
const ID_INDEX = '_id_';

/**
 * Creates the collection of a generation with the declared indexes (no partial or TTL indexes:
 * FerretDB 1.24 has none) and drops the indexes no longer declared. Index names are `indexKey`,
 * so a changed index (fields, direction, unique) is a new name and replaces the old one.
 */
export async function ensureCollection(db: Db, definition: ViewDefinition, collectionName: string): Promise<void> {
  try {
    await db.createCollection(collectionName);
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
  }
  const collection = db.collection(collectionName);
  const declared: IndexDescription[] = definition.indexes.map((index) => ({
    name: indexKey(index),
    key: Object.fromEntries(indexedKeys(index).map(({ field, direction }) => [mongoField(field), direction === 'asc' ? 1 : -1])),
    ...(index.unique ? { unique: true } : {}),
  }));
  const declaredNames = new Set(declared.map(({ name }) => name));
  const existingNames = new Set((await existingIndexes(db, collectionName)).map(({ name }) => name));
  for (const name of existingNames) {
    if (name !== ID_INDEX && !declaredNames.has(name)) await collection.dropIndex(name);
  }
  // Only the missing ones: FerretDB 1.24 drops the connection when createIndexes repeats two or more existing indexes.
  const missing = declared.filter(({ name }) => !existingNames.has(name as string));
  if (missing.length > 0) await collection.createIndexes(missing);
}

async function existingIndexes(db: Db, collectionName: string): Promise<Array<{ name: string }>> {
  try {
    return (await db.collection(collectionName).listIndexes().toArray()) as Array<{ name: string }>;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
    throw error;
  }
}
