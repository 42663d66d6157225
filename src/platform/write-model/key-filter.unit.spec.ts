import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { KeyFilter, KEYS_BEFORE_FILTER, LineageFilter } from './key-filter.js';

describe('KeyFilter: the keys a partitioned snapshot has rows for', () => {
  it('never answers "no" for a key it holds, across segments and a serialize/parse round trip', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 700 }), { minLength: 1, maxLength: 6 }), (batches) => {
        let filter = KeyFilter.empty();
        for (const batch of batches) filter = KeyFilter.parse(filter.with(batch).serialize())!;
        for (const key of batches.flat()) expect(filter.mightHave(key)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('answers "maybe" for under 1% of keys it never saw, also once it has grown past its first segments', () => {
    const held = Array.from({ length: 50_000 }, (_, i) => `order:SO-${i}`);
    let filter = KeyFilter.empty();
    for (let start = 0; start < held.length; start += 1_000) filter = filter.with(held.slice(start, start + 1_000));
    const strangers = Array.from({ length: 20_000 }, (_, i) => `order:NEW-${i}`);
    const falsePositives = strangers.filter((key) => filter.mightHave(key)).length / strangers.length;
    expect(falsePositives).toBeLessThan(0.01);
    // And it stays small: under 4 bytes of text a key (an entry row takes about 120 bytes of JSON).
    expect(filter.serialize().length).toBeLessThan(held.length * 4);
  });

  it('is immutable: adding keys answers a new filter and leaves the one a cached state holds as it was', () => {
    const before = KeyFilter.empty().with(['order:A']);
    const after = before.with(['order:B']);
    expect(after.mightHave('order:B')).toBe(true);
    expect(before.serialize()).toBe(KeyFilter.empty().with(['order:A']).serialize());
  });

  it('reads only what it wrote: anything else is no filter (every key is then read)', () => {
    expect(KeyFilter.parse(undefined)).toBeUndefined();
    expect(KeyFilter.parse('1024:3:AAAA')).toBeUndefined();
    expect(KeyFilter.parse(42)).toBeUndefined();
    expect(KeyFilter.parse('')?.mightHave('order:A')).toBe(false);
  });
});

describe('LineageFilter: a lineage reads its key filter only once it has asked for a few keys', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const stored = KeyFilter.empty().with(['order:SO-1', 'order:SO-2']);

  it('keeps every key until then, reads the filter once, after the caller\'s turn, and from then on drops the keys it lacks', async () => {
    let reads = 0;
    const lineage = LineageFilter.stored(async () => {
      reads++;
      return stored;
    });
    const keys = Array.from({ length: KEYS_BEFORE_FILTER - 1 }, (_, i) => `order:NEW-${i}`);
    expect(lineage.mayHave(keys)).toEqual(keys);
    await nextTurn();
    expect(reads).toBe(0);
    expect(lineage.mayHave(['order:NEW-x', 'order:SO-1'])).toEqual(['order:NEW-x', 'order:SO-1']);
    expect(reads).toBe(0); // not under the caller's turn (it may hold a stream's lock)
    lineage.mayHave(['order:NEW-y']);
    await nextTurn();
    await nextTurn();
    expect(reads).toBe(1);
    expect(lineage.mayHave(['order:NEW-z', 'order:SO-1', 'order:SO-2'])).toEqual(['order:SO-1', 'order:SO-2']);
    expect(await lineage.load()).toBe(stored);
    expect(reads).toBe(1);
  });

  it('with no filter fit for its snapshot, or a failed read, every key is read, and the filter is not asked for again', async () => {
    for (const read of [async () => undefined, async () => Promise.reject(new Error('read store is closed'))]) {
      let reads = 0;
      const lineage = LineageFilter.stored(() => {
        reads++;
        return read();
      });
      expect(await lineage.load()).toBeUndefined();
      const keys = Array.from({ length: 2 * KEYS_BEFORE_FILTER }, (_, i) => `order:NEW-${i}`);
      expect(lineage.mayHave(keys)).toEqual(keys);
      await nextTurn();
      expect(await lineage.load()).toBeUndefined();
      expect(reads).toBe(1);
    }
  });
});
