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

  it('orders in parts raised the shipment, delivery, cancellation and return events to version 2; every other type is at version 1', () => {
    const v2 = ['OrderPlaced', 'OrderShipped', 'OrderDelivered', 'CancellationRequested', 'CancellationApproved', 'ReturnReceived',
      // issue 12: stock movements carry their value
      'StockReceived', 'StockShipped', 'StockReturned', 'StockReturnedToSupplier', 'StockAdjusted',
      // issue 12: payments are named, refunds name their route and payment
      'PaymentReceived', 'RefundIssued',
      // issue 12: goodwill is store credit, with an expiry and an optional code
      'GoodwillCouponIssued'];
    expect(Object.entries(SCHEMA_VERSIONS).filter(([, version]) => version !== 1).map(([type]) => type).sort()).toEqual([...v2].sort());
  });

  it('a whole-order life written before orders in parts folds into the order in parts it was', () => {
    const at = '2019-05-02T00:00:00.000Z';
    const fact = { orderId: 'old-1', at };
    const v1: [string, number, unknown][] = [
      ['OrderPlaced', 1, { ...v1Placed, lines: [{ sku: 'TEA-1', quantity: 3, unitPrice: 1000 }] }],
      ['OrderReserved', 1, fact],
      ['OrderShipped', 1, { ...fact, carrier: 'SF', trackingNumber: 'T1' }],
      ['OrderDelivered', 1, fact],
      ['CancellationRequested', 1, { ...fact, reason: 'broken', initiatedBy: 'customer', requestedBy: 'carol', note: null }],
      ['CancellationApproved', 1, { ...fact, approvedBy: 'alice', note: null, outcome: 'return_and_refund', refundMethod: 'original', penalty: null }],
      ['ReturnReceived', 1, { ...fact, lines: [{ sku: 'TEA-1', quantity: 2, condition: 'resellable' }] }],
    ];
    const order = v1.reduce((state, [type, version, data]) => orderDecider.evolve(state, upcastEvent<OrderEvent>(type, version, data)), orderDecider.initialState);
    expect(order?.status).toBe('returning');
    expect(order?.shipments).toEqual([{ shipmentId: 'S1', lines: [{ sku: 'TEA-1', quantity: 3 }], carrier: 'SF', trackingNumber: 'T1', shippedAt: at, deliveredAt: at }]);
    expect(order?.cancellation).toMatchObject({ scope: 'whole', cancelledLines: [], returnLines: [{ sku: 'TEA-1', quantity: 3 }], returnId: 'R1' });
    expect(order?.returns.map((entry) => [entry.returnId, entry.origin, entry.lines])).toEqual([['R1', 'cancellation', [{ sku: 'TEA-1', quantity: 3, receivedResellable: 2, receivedDamaged: 0 }]]]);
    expect(order?.lines[0]).toMatchObject({ quantity: 3, cancelled: 0, shipped: 3, delivered: 3, returnedResellable: 2, returnPending: 1 });
  });

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
