import { describe, expect, it } from '@jest/globals';
import { orderDecider, type OrderEvent } from './order/index.js';
import { currentSchemaVersion, SCHEMA_VERSIONS, upcast, upcastEvent } from './upcast.js';

const v1Placed = {
  orderId: 'old-1',
  number: 'SO-2019-7',
  kind: 'sale',
  partyId: 'cust-1',
  warehouseId: 'main',
  lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 1000 }],
  ownerId: 'carol',
  at: '2019-05-01T00:00:00.000Z',
};

describe('upcasting', () => {
  it('OrderPlaced is at schema version 2', () => expect(currentSchemaVersion('OrderPlaced')).toBe(2));

  it('every other event type is at version 1', () =>
    expect(Object.entries(SCHEMA_VERSIONS).filter(([type]) => type !== 'OrderPlaced').every(([, version]) => version === 1)).toBe(true));

  it('fills the currency of a v1 OrderPlaced with CNY', () => expect(upcast('OrderPlaced', 1, v1Placed)).toEqual({ ...v1Placed, currency: 'CNY' }));

  it('a v1 order folds into an order in CNY', () => {
    const event = upcastEvent<OrderEvent>('OrderPlaced', 1, v1Placed);
    expect(orderDecider.evolve(orderDecider.initialState, event)?.currency).toBe('CNY');
  });

  it('leaves current data untouched', () => {
    const v2 = { ...v1Placed, currency: 'USD' };
    expect(upcast('OrderPlaced', 2, v2)).toBe(v2);
  });

  it('refuses data from a schema newer than the code', () => expect(() => upcast('OrderPlaced', 3, v1Placed)).toThrow(/newer/));
});
