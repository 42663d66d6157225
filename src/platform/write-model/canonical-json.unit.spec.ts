import { describe, expect, it } from '@jest/globals';
import canonicalize from 'canonicalize';
import fc from 'fast-check';

import { canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('writes exactly what the canonicalize package writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on strings of any Unicode, keys included', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), { minKeys: 0, maxKeys: 60, size: 'max' }), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('sorts keys by UTF-16 code units, drops undefined members, writes undefined array items as null', () => {
    expect(canonicalJson({ b: 1, a: [undefined, 'x'], c: undefined, '\u00e9': true, Z: null })).toBe('{"Z":null,"a":[null,"x"],"b":1,"é":true}');
    expect(canonicalJson({ b: 1, a: [undefined, 'x'], c: undefined, '\u00e9': true, Z: null })).toBe(canonicalize({ b: 1, a: [undefined, 'x'], c: undefined, '\u00e9': true, Z: null }));
  });

  it('refuses what has no canonical form', () => {
    expect(() => canonicalJson({ text: '\ud800' })).toThrow(TypeError);
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});
