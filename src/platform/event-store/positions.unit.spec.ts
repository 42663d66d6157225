import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { compareSequencePositions } from './positions.js';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const byValue = (a: string, b: string): number => {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
};

describe('positions of the embedded store', () => {
  it('order as the numbers they write, whatever their lengths', () => {
    expect(compareSequencePositions('9', '10')).toBe(-1);
    expect(compareSequencePositions('100', '99')).toBe(1);
    expect(compareSequencePositions('0', '1')).toBe(-1);
    expect(compareSequencePositions('123', '123')).toBe(0);
    expect(compareSequencePositions('9007199254740993', '9007199254740992')).toBe(1);
    expect(['10', '9', '100', '0', '11', '1'].sort(compareSequencePositions)).toEqual(['0', '1', '9', '10', '11', '100']);
  });

  it('agree with comparing the numbers, canonical or not (leading zeros compare by value)', () => {
    const position = fc.oneof(
      fc.bigInt({ min: 0n, max: 10n ** 19n - 1n }).map(String),
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.bigInt({ min: 0n, max: 10n ** 6n })).map(([zeros, n]) => `${'0'.repeat(zeros)}${n}`),
    );
    fc.assert(fc.property(position, position, (a, b) => sign(compareSequencePositions(a, b)) === byValue(a, b)));
  });
});
