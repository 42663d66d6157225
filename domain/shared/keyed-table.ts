/**
 * An immutable string-keyed map that is cheap to update when it is large.
 *
 * A stock position remembers one entry per order that ever touched it; a hot SKU has thousands.
 * Copying one plain object of all of them on every event would make each command O(orders), so
 * entries are spread over a fixed number of buckets and an update copies the bucket index and
 * one bucket only. It stays plain JSON (an array of objects), so states can be snapshotted.
 */
export type KeyedTable<Value> = readonly Readonly<Record<string, Value>>[];

const BUCKET_COUNT = 64;

export function emptyTable<Value>(): KeyedTable<Value> {
  return Array.from({ length: BUCKET_COUNT }, () => ({}));
}

/** FNV-1a over UTF-16 code units: deterministic, pure arithmetic. */
function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKET_COUNT;
}

export function getEntry<Value>(table: KeyedTable<Value>, key: string): Value | undefined {
  const bucket = table[bucketOf(key)];
  return Object.hasOwn(bucket, key) ? bucket[key] : undefined;
}

export function setEntry<Value>(table: KeyedTable<Value>, key: string, value: Value): KeyedTable<Value> {
  const index = bucketOf(key);
  const next = table.slice();
  next[index] = { ...table[index], [key]: value };
  return next;
}

export function tableEntries<Value>(table: KeyedTable<Value>): [string, Value][] {
  return table.flatMap((bucket) => Object.entries(bucket));
}
