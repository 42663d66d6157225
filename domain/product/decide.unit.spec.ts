import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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

  describe('changes (PATCH)', () => {
    const change = (changes: object) => ({ type: 'ChangeProduct' as const, sku: 'TEA-1', changes });

    it('records only the fields that changed, and who changed them', () =>
      given(registered).when(change({ name: 'Longjing tea 250g', price: 2199, active: false })).then({
        type: 'ProductChanged',
        data: { sku: 'TEA-1', changes: { price: 2199, active: false }, changedBy: 'root' },
      }));

    it('a change that changes nothing appends nothing', () => given(registered).when(change({ price: 1999, minStock: 5, spec: ' ' })).thenNothing());

    it('folds the changes into the product: new price, inactive, preferred supplier', () =>
      given(registered).when(change({ price: 2500, active: false, preferredSupplierId: 'sup-1', leadTimeDays: 9 })).thenState((product) => {
        expect(product).toMatchObject({ price: 2500, active: false, preferredSupplierId: 'sup-1', leadTimeDays: 9, name: 'Longjing tea 250g' });
      }));

    it('a registered product is active, without a preferred supplier', () =>
      given().when({ type: 'RegisterProduct', sku: 'TEA-1', name: 'Tea', price: 1 }).thenState((product) => {
        expect(product).toMatchObject({ active: true, preferredSupplierId: null, leadTimeDays: null });
      }));

    it('refuses to change a product that does not exist', () => given().when(change({ price: 1 })).thenFails('not_found'));

    it('names each bad field: a blank name, a float price, a max below the kept min', () =>
      given(registered).when(change({ name: ' ', price: 1.5, maxStock: 2 })).thenFails('validation_failed', {
        fields: [
          { field: 'name', problems: ['must not be blank'] },
          { field: 'price', problems: ['must be a non-negative integer (minor units)'] },
          { field: 'maxStock', problems: ['must keep minStock ≤ maxStock'] },
        ],
      }));

    it('price history: every price change is its own event, in order', () =>
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 12 }), (prices) => {
          let state = productDecider.evolve(null, registered);
          const recorded: number[] = [];
          for (const price of prices) {
            for (const event of productDecider.decide(change({ price }), state, asUser('root', 'admin'))) {
              if (event.type === 'ProductChanged' && event.data.changes.price !== undefined) recorded.push(event.data.changes.price);
              state = productDecider.evolve(state, event);
            }
          }
          const expected = prices.filter((price, index) => price !== (index === 0 ? 1999 : prices[index - 1]));
          expect(recorded).toEqual(expected);
          expect(state?.price).toBe(prices.at(-1) ?? 1999);
        }),
      ));
  });
});
