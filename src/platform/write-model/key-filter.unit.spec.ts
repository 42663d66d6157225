import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { KeyFilter } from './key-filter.js';

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
