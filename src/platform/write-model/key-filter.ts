/**
 * A Bloom filter of the keys a partitioned snapshot has rows for (snapshots.ts): "certainly none" lets a command on
 * a new order skip the indexed read of its entry, which a hot SKU would otherwise pay on every placement (about
 * 50 µs on SQLite, a round trip on MongoDB). It answers "maybe" for under 1% of keys it never saw (a read that
 * finds nothing) and never "no" for a key it holds.
 *
 * It grows in segments (a scalable Bloom filter): each holds up to its capacity at that rate, a full one is kept
 * and a new one twice its size is started, a key is "maybe" when any segment says so. Immutable: `with` answers a
 * new filter, so a filter cached with one state is never changed under it.
 */
// About 0.06% false positives per full segment with 10 hashes: under 1% for the union of the segments a
// position with millions of orders has (the rates add up).
const BITS_PER_KEY = 14;
const HASHES = 10;
const FIRST_CAPACITY = 1_024;

interface Segment {
  readonly capacity: number;
  readonly count: number;
  readonly bits: Uint8Array;
}

/** Two 32-bit hashes of a key: FNV-1a, and FNV-1a from another offset basis with a final mix (no crypto: ~0.2 µs). */
type KeyHash = readonly [number, number];
function hashOf(key: string): KeyHash {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < key.length; i += 1) {
    const code = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
  }
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, 0x85ebca6b);
  h2 ^= h2 >>> 13;
  return [h1 >>> 0, (h2 | 1) >>> 0];
}

/** The i-th of a key's HASHES bit positions in a segment of `bitCount` bits (Kirsch–Mitzenmacher double hashing). */
const bitAt = ([h1, h2]: KeyHash, i: number, bitCount: number): number => ((h1 + Math.imul(i, h2)) >>> 0) % bitCount;

function has(segment: Segment, hash: KeyHash): boolean {
  const bitCount = segment.bits.length * 8;
  for (let i = 0; i < HASHES; i += 1) {
    const bit = bitAt(hash, i, bitCount);
    if ((segment.bits[bit >> 3] & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

function set(bits: Uint8Array, hash: KeyHash): void {
  const bitCount = bits.length * 8;
  for (let i = 0; i < HASHES; i += 1) {
    const bit = bitAt(hash, i, bitCount);
    bits[bit >> 3] |= 1 << (bit & 7);
  }
}

function emptySegment(capacity: number): { capacity: number; count: number; bits: Uint8Array } {
  return { capacity, count: 0, bits: new Uint8Array(Math.ceil((capacity * BITS_PER_KEY) / 8)) };
}

export class KeyFilter {
  private constructor(private readonly segments: readonly Segment[]) {}

  static empty(): KeyFilter {
    return new KeyFilter([]);
  }

  /** False: no row was ever written for this key. True: maybe (read it). */
  mightHave(key: string): boolean {
    const hash = hashOf(key);
    return this.segments.some((segment) => has(segment, hash));
  }

  /** A filter that also holds `keys` (this one unchanged). */
  with(keys: Iterable<string>): KeyFilter {
    const segments: Segment[] = [...this.segments];
    // The segment being filled: a copy of the last one while it has room, else a new one twice its size.
    let current: { capacity: number; count: number; bits: Uint8Array } | undefined;
    const open = (): { capacity: number; count: number; bits: Uint8Array } => {
      const last = segments.at(-1);
      const next = last !== undefined && last.count < last.capacity ? { capacity: last.capacity, count: last.count, bits: last.bits.slice() } : emptySegment(last === undefined ? FIRST_CAPACITY : 2 * last.capacity);
      if (last !== undefined && last.count < last.capacity) segments[segments.length - 1] = next;
      else segments.push(next);
      return next;
    };
    for (const key of keys) {
      const hash = hashOf(key);
      if (segments.some((segment) => has(segment, hash))) continue;
      if (current === undefined || current.count >= current.capacity) current = open();
      set(current.bits, hash);
      current.count++;
    }
    return new KeyFilter(segments);
  }

  /** Stored with a snapshot's header: `capacity:count:base64` per segment, `;`-separated. */
  serialize(): string {
    return this.segments.map((segment) => `${segment.capacity}:${segment.count}:${Buffer.from(segment.bits).toString('base64')}`).join(';');
  }

  /** Undefined when `text` is not a filter this version wrote (then every key is read). */
  static parse(text: unknown): KeyFilter | undefined {
    if (typeof text !== 'string') return undefined;
    if (text === '') return KeyFilter.empty();
    const segments: Segment[] = [];
    for (const part of text.split(';')) {
      const [capacity, count, bits] = part.split(':');
      const segment = { capacity: Number(capacity), count: Number(count), bits: new Uint8Array(Buffer.from(bits ?? '', 'base64')) };
      if (!Number.isInteger(segment.capacity) || !Number.isInteger(segment.count) || segment.bits.length !== Math.ceil((segment.capacity * BITS_PER_KEY) / 8)) return undefined;
      segments.push(segment);
    }
    return new KeyFilter(segments);
  }
}

/**
 * Keys a lineage reads without its filter before it reads the filter: a position loaded cold for a process step or
 * two never reads it (its size grows with the orders the position ever saw, 1.75 bytes each), a busy one reads it
 * once and from then on skips the read of every new order.
 */
export const KEYS_BEFORE_FILTER = 8;

/**
 * The key filter of a lineage of partial states (those loaded from one snapshot, and their successors until the next
 * snapshot rebases them), read from the store only once the lineage has asked for a few keys. Until then every key
 * is read, which is always correct: the filter only spares reads that find nothing. Its identity is the lineage's.
 */
export class LineageFilter {
  private filter: KeyFilter | undefined;
  private reading: Promise<KeyFilter | undefined> | undefined;
  private unfiltered = 0;

  private constructor(
    filter: KeyFilter | undefined,
    /** Reads the filter of the snapshot the lineage starts at; undefined when there is none fit for it. */
    private readonly read: (() => Promise<KeyFilter | undefined>) | undefined,
  ) {
    this.filter = filter;
  }

  /** A lineage whose filter is at hand (a snapshot just stored). */
  static of(filter: KeyFilter): LineageFilter {
    return new LineageFilter(filter, undefined);
  }

  /** A lineage loaded from a snapshot, whose filter is read when it pays. */
  static stored(read: () => Promise<KeyFilter | undefined>): LineageFilter {
    return new LineageFilter(undefined, read);
  }

  /**
   * Of `keys`, those that may have rows (to be read): all of them while the filter is not at hand. Once the lineage
   * has asked for KEYS_BEFORE_FILTER keys so, the filter is read in the background, after the caller's turn (it may
   * hold a stream's lock).
   */
  mayHave(keys: readonly string[]): readonly string[] {
    const filter = this.filter;
    if (filter !== undefined) return keys.filter((key) => filter.mightHave(key));
    this.unfiltered += keys.length;
    if (this.unfiltered >= KEYS_BEFORE_FILTER && this.reading === undefined) void this.start(new Promise((resolve) => setImmediate(resolve)));
    return keys;
  }

  /** The filter, read now if it is not at hand; undefined when there is none (then every key is read). */
  load(): Promise<KeyFilter | undefined> {
    return this.start(Promise.resolve());
  }

  /** Reads the filter once `turn` settles, unless it is at hand or being read. A failed read leaves none (every key read). */
  private start(turn: Promise<unknown>): Promise<KeyFilter | undefined> {
    const read = this.read;
    if (this.filter !== undefined || read === undefined) return Promise.resolve(this.filter);
    this.reading ??= turn.then(read).then(
      (filter) => (this.filter = filter),
      () => undefined,
    );
    return this.reading;
  }
}
