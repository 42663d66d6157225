import { describe, expect, it } from '@jest/globals';

import { fieldDifferences } from './projection-verification.js';

describe('fieldDifferences', () => {
  it('is empty for equal JSON documents, whatever the key order', () => {
    expect([...fieldDifferences({ a: 1, b: { c: [1, { d: null }] } }, { b: { c: [1, { d: null }] }, a: 1 }, '')]).toEqual([]);
  });

  it('names every differing leaf by its path: nested fields, array elements, missing fields, type changes', () => {
    const live = { paid: 1000, cancellation: { state: 'approved', reason: 'late' }, lines: [{ sku: 'A', reserved: 2 }], extra: true };
    const replay = { paid: 0, cancellation: null, lines: [{ sku: 'A', reserved: 1 }, { sku: 'B', reserved: 1 }] };
    expect([...fieldDifferences(live, replay, '')]).toEqual([
      { field: 'cancellation', live: { state: 'approved', reason: 'late' }, replay: null },
      { field: 'extra', live: true, replay: undefined },
      { field: 'lines[0].reserved', live: 2, replay: 1 },
      { field: 'lines[1]', live: undefined, replay: { sku: 'B', reserved: 1 } },
      { field: 'paid', live: 1000, replay: 0 },
    ]);
  });
});
