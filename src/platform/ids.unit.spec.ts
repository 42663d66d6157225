import { describe, expect, it } from '@jest/globals';
import { validate, version } from 'uuid';

import { newId } from './ids.js';

describe('newId', () => {
  it('makes valid version-7 UUIDs', () => {
    const id = newId();
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
  });

  it('makes ids that sort in creation order, even thousands within one millisecond', () => {
    const ids = Array.from({ length: 20000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
