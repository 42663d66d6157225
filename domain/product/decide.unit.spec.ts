import { describe, it } from '@jest/globals';
import { asUser, deciderSpec } from '../../test/support/decider-spec.js';
import { productDecider } from './index.js';
import { type ProductEvent } from './events.js';

const { given } = deciderSpec(productDecider, asUser('root', 'admin'));
const registered: ProductEvent = {
  type: 'ProductRegistered',
  data: { sku: 'TEA-1', name: 'Longjing tea 250g', spec: null, unit: 'pcs', price: 1999, minStock: 5, maxStock: null },
};

describe('product', () => {
  it('registers a product, in pieces unless told', () =>
    given().when({ type: 'RegisterProduct', sku: 'TEA-1', name: ' Longjing tea 250g ', price: 1999, minStock: 5 }).then(registered));

  it('registering the same product again emits nothing', () =>
    given(registered).when({ type: 'RegisterProduct', sku: 'TEA-1', name: 'Longjing tea 250g', price: 1999, minStock: 5 }).thenNothing());

  it('refuses a different product under an existing sku', () =>
    given(registered).when({ type: 'RegisterProduct', sku: 'TEA-1', name: 'Longjing tea 250g', price: 2999 }).thenFails('already_exists'));

  it('refuses a price that is not integer minor units', () =>
    given().when({ type: 'RegisterProduct', sku: 'TEA-1', name: 'Tea', price: 19.99 }).thenFails('validation_failed', { fields: [{ field: 'price' }] }));

  it('refuses a product without a name', () => given().when({ type: 'RegisterProduct', sku: 'TEA-1', name: '', price: 1 }).thenFails('validation_failed'));

  it('refuses a max stock below the min stock', () =>
    given().when({ type: 'RegisterProduct', sku: 'TEA-1', name: 'Tea', price: 1, minStock: 10, maxStock: 5 }).thenFails('validation_failed'));
});
