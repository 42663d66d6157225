import { describe, expect, it } from '@jest/globals';

import { changedFields, type Product } from './types';

const tea: Product = { sku: 'TEA-1', name: 'Longjing tea', spec: null, unit: 'box', price: 1999, minStock: 2, maxStock: null, active: true };

describe('master data edits send only what changed', () => {
  it('a new price and deactivation: those two fields, nothing else', () => {
    expect(changedFields(tea, { name: 'Longjing tea', price: 2199, unit: 'box', active: false, minStock: 2 })).toEqual({ price: 2199, active: false });
  });

  it('nothing changed: an empty body (the API appends nothing)', () => {
    expect(changedFields(tea, { name: 'Longjing tea', price: 1999, spec: null })).toEqual({});
  });

  it('a field cleared is sent as null; a field left out of the form is not sent', () => {
    expect(changedFields(tea, { minStock: null, maxStock: undefined })).toEqual({ minStock: null });
    expect(changedFields({ ...tea, spec: '250 g' }, { spec: null })).toEqual({ spec: null });
  });

  it('a field the record did not have yet counts as empty', () => {
    expect(changedFields(tea, { leadTimeDays: 7, preferredSupplierId: null })).toEqual({ leadTimeDays: 7 });
  });
});
