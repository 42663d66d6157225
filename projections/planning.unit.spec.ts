import { describe, expect, it } from '@jest/globals';

import { type OrderEvent } from '../domain/order/events.js';
import { EventLog, fold } from '../test/support/projection-spec.js';
import { dailyDemandView, purchaseLeadTimesView } from './planning.js';

const placed = (orderId: string, kind: 'sale' | 'purchase', at: string, lines: [string, number][], partyId = 'C1', warehouseId = 'main'): OrderEvent => ({
  type: 'OrderPlaced',
  data: { orderId, at, number: orderId, kind, partyId, warehouseId, currency: 'CNY', ownerId: 'carol', lines: lines.map(([sku, quantity]) => ({ sku, quantity, unitPrice: 100 })) },
});
const received = (orderId: string, at: string, lines: [string, number][]): OrderEvent => ({ type: 'GoodsReceived', data: { orderId, at, lines: lines.map(([sku, quantity]) => ({ sku, quantity })) } });
const rejected = (orderId: string, at: string): OrderEvent => ({ type: 'OrderRejected', data: { orderId, at, shortLines: [] } });

describe('planning_demand view', () => {
  it('adds up the units of the sales placed per warehouse, SKU and UTC day, purchases not counted', () => {
    const log = new EventLog();
    const events = [
      log.append('order-S1', placed('S1', 'sale', '2026-03-01T23:59:00.000Z', [['TEA', 3], ['CUP', 1], ['TEA', 2]])),
      log.append('order-S1', rejected('S1', '2026-03-01T23:59:01.000Z')),
      log.append('order-S2', placed('S2', 'sale', '2026-03-01T08:00:00.000Z', [['TEA', 4]])),
      log.append('order-S3', placed('S3', 'sale', '2026-03-02T00:00:00.000Z', [['TEA', 1]])),
      log.append('order-S4', placed('S4', 'sale', '2026-03-02T10:00:00.000Z', [['TEA', 6]], 'C2', 'north')),
      log.append('order-P1', placed('P1', 'purchase', '2026-03-01T10:00:00.000Z', [['TEA', 100]], 'SUP-1')),
    ];
    const docs = fold(dailyDemandView, [...events, events[0]!]);
    expect([...docs.values()].map(({ warehouseId, sku, day, quantity }) => ({ warehouseId, sku, day, quantity }))).toEqual([
      { warehouseId: 'main', sku: 'TEA', day: '2026-03-01', quantity: 9 },
      { warehouseId: 'main', sku: 'CUP', day: '2026-03-01', quantity: 1 },
      { warehouseId: 'main', sku: 'TEA', day: '2026-03-02', quantity: 1 },
      { warehouseId: 'north', sku: 'TEA', day: '2026-03-02', quantity: 6 },
    ]);
  });
});

describe('planning_purchases view', () => {
  it('keeps the supplier and the lead time of each purchased SKU: placement to its first receipt, in whole days rounded up', () => {
    const log = new EventLog();
    const docs = fold(purchaseLeadTimesView, [
      log.append('order-P1', placed('P1', 'purchase', '2026-03-01T10:00:00.000Z', [['TEA', 100], ['CUP', 20]], 'SUP-1')),
      log.append('order-P1', received('P1', '2026-03-04T09:00:00.000Z', [['TEA', 60]])),
      log.append('order-P1', received('P1', '2026-03-09T09:00:00.000Z', [['TEA', 40], ['CUP', 20]])),
      log.append('order-P2', received('P2', '2026-03-09T09:00:00.000Z', [['TEA', 5]])),
      log.append('order-S1', placed('S1', 'sale', '2026-03-01T10:00:00.000Z', [['TEA', 1]])),
    ]);
    expect(docs.get('P1|TEA')).toMatchObject({ orderId: 'P1', sku: 'TEA', warehouseId: 'main', supplierId: 'SUP-1', placedAt: '2026-03-01T10:00:00.000Z', receivedAt: '2026-03-04T09:00:00.000Z', leadTimeDays: 3 });
    expect(docs.get('P1|CUP')).toMatchObject({ supplierId: 'SUP-1', receivedAt: '2026-03-09T09:00:00.000Z', leadTimeDays: 8 });
    expect([...docs.keys()]).toEqual(['P1|TEA', 'P1|CUP']);
  });

  it('leaves the lead time unknown while nothing arrived', () => {
    const log = new EventLog();
    const docs = fold(purchaseLeadTimesView, [log.append('order-P1', placed('P1', 'purchase', '2026-03-01T10:00:00.000Z', [['TEA', 100]], 'SUP-1'))]);
    expect(docs.get('P1|TEA')).toMatchObject({ receivedAt: null, leadTimeDays: null });
  });
});
