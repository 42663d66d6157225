import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { estimatedJsonBytes } from './document-cache.js';

describe('estimatedJsonBytes: about the length of a document as JSON, without serialising it', () => {
  it('is exact for keys, strings without escapes, booleans, null, arrays and nested objects', () => {
    const text = fc.stringMatching(/^[a-zA-Z0-9 ._:-]{0,20}$/);
    const leaf = fc.oneof(text, fc.boolean(), fc.constant(null));
    const doc = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 5 }), fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), tie('value'), { maxKeys: 5 })),
    })).value;
    fc.assert(fc.property(doc, (value) => estimatedJsonBytes(value) === Math.max(1, JSON.stringify(value).length)));
  });

  it('counts a number as 8 bytes and leaves out what JSON leaves out', () => {
    expect(estimatedJsonBytes({ quantity: 12 })).toBe(JSON.stringify({ quantity: '' }).length + 8 - 2);
    expect(estimatedJsonBytes({ a: 'x', gone: undefined })).toBe(JSON.stringify({ a: 'x' }).length);
    expect(estimatedJsonBytes(['x', undefined])).toBe(JSON.stringify(['x', null]).length);
  });
});
