import { LRUCache } from 'lru-cache';

import { type ViewDoc } from '../../../projections/index.js';

/** A document the store does not hold (cached too, so that it is not asked for again). */
export const MISSING = Symbol('missing');

export type Cached = ViewDoc | typeof MISSING;

/**
 * Per view, in the service (`JXC_PROJECTION_CACHE_MB`): 32 MB holds about 13,000 journal documents of the benchmark's
 * orders (2.4 kB each), 22,000 of its order documents (1.5 kB) and every stock level of 100,000 SKUs (260 B).
 */
export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

/** What a MISSING entry counts for: its key and the cache's own bookkeeping. */
const MISSING_BYTES = 64;

/**
 * The documents a runner keeps between batches for one view, least recently used out first, bounded by their size
 * rather than their number: a view of large documents (an order's journal with a hundred lines) holds fewer of them
 * in the same memory. The size is the document's length as JSON, estimated without serialising it (a walk at about
 * a third of JSON.stringify's cost); on the V8 heap a parsed view document takes about 1.2 bytes per byte of its
 * JSON (measured on the journal, orders and stock-level documents of the benchmark's log).
 */
export function documentCache(maxBytes: number): LRUCache<string, Cached> {
  return new LRUCache<string, Cached>({
    // A document larger than the whole budget is not kept at all (maxEntrySize defaults to maxSize: lru-cache drops
    // it, and an older copy under its key, rather than emptying itself).
    maxSize: maxBytes,
    sizeCalculation: (value, key) => key.length + (value === MISSING ? MISSING_BYTES : estimatedJsonBytes(value)),
  });
}

/**
 * About the length of `JSON.stringify(value)`: exact for keys, strings without escapes, booleans, null and the
 * brackets and commas around them; a number counts 8. Never less than 1, as lru-cache requires.
 */
export function estimatedJsonBytes(value: unknown): number {
  return Math.max(1, walk(value));
}

function walk(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return 8;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      // The brackets, and a comma between two items.
      let bytes = 1;
      if (Array.isArray(value)) {
        for (const item of value as unknown[]) bytes += (item === undefined ? 4 : walk(item)) + 1;
        return Math.max(2, bytes);
      }
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        // `"key":` and the value, unless JSON leaves the key out.
        if (Object.hasOwn(value, key) && item !== undefined) bytes += key.length + 3 + walk(item) + 1;
      }
      return Math.max(2, bytes);
    }
    default:
      // undefined, functions and symbols are left out of JSON.
      return 0;
  }
}
