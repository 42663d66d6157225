import { describe, expect, it } from '@jest/globals';
import { stockDecider } from '../stock/index.js';
import { type Product } from '../product/state.js';
import { nextProductStep } from './product-thresholds.js';

const tea: Product = { sku: 'TEA-1', name: 'Tea', spec: null, unit: 'pcs', price: 1999, minStock: 5, maxStock: null, preferredSupplierId: null, leadTimeDays: null, active: true };

describe('product thresholds', () => {
  it('sets the default warehouse thresholds from a new product', () =>
    expect(nextProductStep(tea, stockDecider.initialState)).toEqual({
      aggregate: 'stock',
      streamId: 'stock-main-TEA-1',
      stepId: 'product:TEA-1:thresholds',
      command: { type: 'SetStockThresholds', warehouseId: 'main', sku: 'TEA-1', min: 5, max: null },
    }));

  it('does nothing for a product without thresholds', () => expect(nextProductStep({ ...tea, minStock: null }, stockDecider.initialState)).toBeNull());

  it('leaves thresholds set on the stock position alone', () =>
    expect(nextProductStep(tea, { ...stockDecider.initialState, min: 1, max: 9 })).toBeNull());
});
