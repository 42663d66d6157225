/**
 * An immutable string-keyed map that stays cheap to update when it is large.
 *
 * A stock position remembers one entry per order that ever touched it; a hot SKU has tens of
 * thousands. Copying one plain object of all of them on every event would make each command
 * O(orders), so entries sit in a two-level, 64 × 64 bucket trie keyed by a hash of the key: an update
 * copies two 64-slot arrays and one small bucket. It stays plain JSON (nested arrays, `null` for an
 * empty slot), so states can be snapshotted and compared.
 */
type Bucket<Value> = Readonly<Record<string, Value>>;
type Branch<Value> = readonly (Bucket<Value> | null)[];
export type KeyedTable<Value> = readonly (Branch<Value> | null)[];

const FAN_OUT = 64;

export function emptyTable<Value>(): KeyedTable<Value> {
  return new Array<Branch<Value> | null>(FAN_OUT).fill(null);
}

/** FNV-1a over UTF-16 code units: deterministic, pure arithmetic. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function slotsOf(key: string): [branch: number, bucket: number] {
  const hash = hashOf(key);
  return [hash % FAN_OUT, Math.floor(hash / FAN_OUT) % FAN_OUT];
}

export function getEntry<Value>(table: KeyedTable<Value>, key: string): Value | undefined {
  const [branchIndex, bucketIndex] = slotsOf(key);
  const bucket = table[branchIndex]?.[bucketIndex];
  return bucket != null && Object.hasOwn(bucket, key) ? bucket[key] : undefined;
}

export function setEntry<Value>(table: KeyedTable<Value>, key: string, value: Value): KeyedTable<Value> {
  const [branchIndex, bucketIndex] = slotsOf(key);
  const branch = table[branchIndex] ?? new Array<Bucket<Value> | null>(FAN_OUT).fill(null);
  const nextBranch = branch.slice();
  nextBranch[bucketIndex] = { ...branch[bucketIndex], [key]: value };
  const next = table.slice();
  next[branchIndex] = nextBranch;
  return next;
}

/**
 * The entries of `next` that are not in `previous` as the same object: what changed between two versions of one
 * table (they share every bucket nothing changed in, so this reads only the changed buckets). Unrelated tables:
 * every entry of `next`.
 */
export function changedEntries<Value>(previous: KeyedTable<Value>, next: KeyedTable<Value>): [string, Value][] {
  const changed: [string, Value][] = [];
  next.forEach((branch, branchIndex) => {
    const before = previous[branchIndex];
    if (branch === before || branch === null) return;
    branch.forEach((bucket, bucketIndex) => {
      const old = before?.[bucketIndex];
      if (bucket === old || bucket === null) return;
      for (const [key, value] of Object.entries(bucket)) if (old == null || !Object.hasOwn(old, key) || old[key] !== value) changed.push([key, value]);
    });
  });
  return changed;
}

export function tableEntries<Value>(table: KeyedTable<Value>): [string, Value][] {
  return table.flatMap((branch) => (branch ?? []).flatMap((bucket) => (bucket === null ? [] : Object.entries(bucket))));
}
