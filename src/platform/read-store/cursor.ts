import { InvalidCursor } from './errors.js';
import { isFilterValue } from './filter.js';
import { valueAtPath } from './field-path.js';
import { type FilterValue, type SortKey, type ViewDocument } from './read-store.port.js';
import { sortSignature } from './sort.js';

interface CursorBody {
  /** The sort the cursor belongs to: a cursor replayed with another sort would page nonsense. */
  readonly sort: string;
  /** The last document's value of each sort key, `id` last. */
  readonly after: readonly FilterValue[];
}

/** The keyset cursor after `last`: opaque to clients (base64url JSON). */
export function cursorAfter(last: ViewDocument, keys: readonly SortKey[]): string {
  const body: CursorBody = { sort: sortSignature(keys), after: sortValuesOf(last, keys) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The sort key values a cursor resumes after; rejects a cursor made for another sort. */
export function decodeCursor(cursor: string, keys: readonly SortKey[]): FilterValue[] {
  let body: unknown;
  try {
    if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor('not a cursor of this store');
  }
  const { sort, after } = (body ?? {}) as Partial<CursorBody>;
  if (typeof sort !== 'string' || !Array.isArray(after) || !after.every(isFilterValue)) {
    throw new InvalidCursor('not a cursor of this store');
  }
  if (sort !== sortSignature(keys)) throw new InvalidCursor(`made for sort ${sort}, not ${sortSignature(keys)}`);
  if (after.length !== keys.length || typeof after[after.length - 1] !== 'string') {
    throw new InvalidCursor('not a cursor of this store');
  }
  return after;
}

function sortValuesOf(document: ViewDocument, keys: readonly SortKey[]): FilterValue[] {
  return keys.map(({ field }) => {
    const value = field === 'id' ? document.id : valueAtPath(document, field);
    if (value === undefined) return null;
    if (!isFilterValue(value)) throw new InvalidCursor(`document ${document.id} holds a non-scalar value in sort field ${field}`);
    return value;
  });
}
