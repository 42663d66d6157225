import { describe, expect, it } from '@jest/globals';

import { compareLogPositions, comparePositions, decodePosition, encodePosition, isEventStoreDbPosition } from './positions.js';

describe('EventStoreDB positions', () => {
  it('encodes (commit, prepare) as commit/prepare in decimal and decodes it back exactly', () => {
    expect(encodePosition({ commit: 1234n, prepare: 1200n })).toBe('1234/1200');
    expect(decodePosition('1234/1200')).toEqual({ commit: 1234n, prepare: 1200n });
    expect(decodePosition('0/0')).toEqual({ commit: 0n, prepare: 0n });
  });

  it('keeps 64-bit positions beyond Number.MAX_SAFE_INTEGER without loss', () => {
    const big = { commit: 18446744073709551615n, prepare: 9007199254740993n };
    const text = encodePosition(big);
    expect(text).toBe('18446744073709551615/9007199254740993');
    expect(decodePosition(text)).toEqual(big);
  });

  it('orders by commit, then prepare, numerically rather than as text', () => {
    expect(comparePositions('1/1', '1/2')).toBeLessThan(0);
    expect(comparePositions('1/2', '2/0')).toBeLessThan(0);
    expect(comparePositions('10/0', '9/9')).toBeGreaterThan(0);
    expect(comparePositions('9007199254740993/0', '9007199254740992/5')).toBeGreaterThan(0);
    expect(comparePositions('7/7', '7/7')).toBe(0);
    const sorted = ['10/0', '2/0', '1/2', '9/9', '1/1'].sort(comparePositions);
    expect(sorted).toEqual(['1/1', '1/2', '2/0', '9/9', '10/0']);
    expect(compareLogPositions({ commit: 5n, prepare: 3n }, { commit: 5n, prepare: 4n })).toBe(-1);
  });

  it('refuses anything that is not a position of this store', () => {
    for (const bad of ['', '42', '1/', '/1', '-1/0', '01/2', '1/02', '1/2/3', '1.5/2', ' 1/2', '18446744073709551616/0', 'abc']) {
      expect(() => decodePosition(bad)).toThrow(TypeError);
      expect(isEventStoreDbPosition(bad)).toBe(false);
    }
    expect(isEventStoreDbPosition('3/4')).toBe(true);
    expect(() => comparePositions('3', '4/4')).toThrow(/not a position of this store/);
  });

  it('refuses to encode negative or oversized positions', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 0n, prepare: 1n << 64n })).toThrow(RangeError);
  });
});
