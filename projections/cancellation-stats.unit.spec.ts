import { describe, expect, it } from '@jest/globals';

import { type OrderEvent } from '../domain/order/events.js';
import { orderStream, paymentStream } from '../domain/shared/streams.js';
import { orderFacts } from '../test/support/order-fixtures.js';
import { aggregateAll, EventLog, fold } from '../test/support/projection-spec.js';
import { cancellationStatsView } from './cancellation-stats.js';
import { ordersView } from './orders.js';

describe('cancellation_stats view', () => {
  it('counts approved cancellations per day, reason, initiator and kind, with the value cancelled and the refunds', () => {
    const log = new EventLog();
    for (const orderId of ['s1', 's2', 's3']) {
      const facts = orderFacts(orderId, '2026-03-04T11:00:00.000Z');
      for (const event of [facts.salePlaced(), facts.reserved(), facts.cancellationRequested('carol', 'customer')]) log.append(orderStream(orderId), event);
    }
    log.append(paymentStream('s1'), { type: 'PaymentReceived', data: { orderId: 's1', amount: 1000, currency: 'CNY', method: 'card' } });
    for (const orderId of ['s1', 's2']) log.append(orderStream(orderId), orderFacts(orderId, '2026-03-05T09:00:00.000Z').cancellationApproved('release_and_refund'));
    log.append(paymentStream('s1'), { type: 'RefundIssued', data: { orderId: 's1', amount: 1000, currency: 'CNY', method: 'original' } });

    const stats = aggregateAll(cancellationStatsView, fold(ordersView, log.events).values(), '99');
    expect([...stats.values()]).toEqual([
      {
        id: '2026-03-05|sale|customer|CNY|changed mind',
        position: '99',
        day: '2026-03-05',
        kind: 'sale',
        initiatedBy: 'customer',
        reason: 'changed mind',
        currency: 'CNY',
        scope: 'whole',
        count: 2,
        value: 2 * 4498,
        refunded: 1000,
      },
    ]);
  });

  it('counts only what a partly received purchase cancelled: the remainder', () => {
    const log = new EventLog();
    const facts = orderFacts('p1', '2026-03-05T09:00:00.000Z');
    const events = [facts.purchasePlaced(), facts.goodsReceived([{ sku: 'TEA-1', quantity: 4 }]), facts.cancellationRequested('carol', 'supplier'), facts.cancellationApproved('close_remainder'), facts.closed()];
    for (const event of events) log.append(orderStream('p1'), event);
    const stats = aggregateAll(cancellationStatsView, fold(ordersView, log.events).values(), '9');
    // 10 × 800 + 4 × 200 ordered, 4 × 800 received: 5600 cancelled.
    expect([...stats.values()]).toEqual([expect.objectContaining({ kind: 'purchase', initiatedBy: 'supplier', count: 1, value: 5600 })]);
  });

  it('counts partial cancellations by scope, each with the value of what it cancelled and sent back, at the line prices', () => {
    const log = new EventLog();
    const append = (orderId: string, events: readonly OrderEvent[]) => events.forEach((event) => log.append(orderStream(orderId), event));
    const day = '2026-03-05T09:00:00.000Z';
    // s1: one TEA-1 of two cancelled before anything shipped (lines).
    const s1 = orderFacts('s1', day);
    append('s1', [s1.salePlaced(), s1.reserved(), s1.cancellationRequested('carol', 'customer', 'lines', [{ sku: 'TEA-1', quantity: 1 }])]);
    append('s1', [s1.cancellationApproved('release_and_refund', { cancelledLines: [{ sku: 'TEA-1', quantity: 1 }], returnLines: [], returnId: null })]);
    // s2: TEA-1 shipped, then a cancellation of one TEA-1 (shipped: it goes back through R1) and the CUP-1 (unshipped).
    const s2 = orderFacts('s2', day);
    append('s2', [s2.salePlaced(), s2.reserved(), s2.shipped([{ sku: 'TEA-1', quantity: 2 }]), s2.cancellationRequested('carol', 'customer', 'lines', [{ sku: 'TEA-1', quantity: 1 }, { sku: 'CUP-1', quantity: 1 }])]);
    append('s2', [
      s2.cancellationApproved('return_and_refund', { cancelledLines: [{ sku: 'CUP-1', quantity: 1 }], returnLines: [{ sku: 'TEA-1', quantity: 1 }], returnId: 'R1' }),
      s2.returnRequested('R1', [{ sku: 'TEA-1', quantity: 1 }], 'cancellation', 'alice'),
    ]);
    // s3: one TEA-1 shipped, the remainder (one TEA-1 and the CUP-1) cancelled.
    const s3 = orderFacts('s3', day);
    append('s3', [s3.salePlaced(), s3.reserved(), s3.shipped([{ sku: 'TEA-1', quantity: 1 }]), s3.cancellationRequested('carol', 'customer', 'remainder')]);
    append('s3', [s3.cancellationApproved('release_and_refund', { cancelledLines: [{ sku: 'TEA-1', quantity: 1 }, { sku: 'CUP-1', quantity: 1 }], returnLines: [], returnId: null })]);

    const stats = [...aggregateAll(cancellationStatsView, fold(ordersView, log.events).values(), '9').values()];
    const byScope = Object.fromEntries(stats.map((entry) => [entry.scope, { id: entry.id, count: entry.count, value: entry.value }]));
    expect(byScope).toEqual({
      lines: { id: '2026-03-05|sale|customer|CNY|lines|changed mind', count: 2, value: 1999 + (500 + 1999) },
      remainder: { id: '2026-03-05|sale|customer|CNY|remainder|changed mind', count: 1, value: 1999 + 500 },
    });
    expect(cancellationStatsView.filterOf({ day: '2026-03-05', kind: 'sale', initiatedBy: 'customer', reason: 'changed mind', currency: 'CNY', scope: 'remainder' })).toMatchObject({ 'cancellation.scope': 'remainder' });
  });

  it('ignores requests still pending, rejected or withdrawn', () => {
    const log = new EventLog();
    const facts = orderFacts('s1');
    for (const event of [facts.salePlaced(), facts.reserved(), facts.cancellationRequested(), facts.cancellationRejected()]) log.append(orderStream('s1'), event);
    expect(aggregateAll(cancellationStatsView, fold(ordersView, log.events).values(), '9').size).toBe(0);
  });

  it('keeps ids short for long reasons and tells such reasons apart', () => {
    const bucket = { day: '2026-03-05', kind: 'sale' as const, initiatedBy: 'customer', currency: 'CNY', scope: 'whole' as const };
    const one = cancellationStatsView.idOf({ ...bucket, reason: `${'x'.repeat(200)}a` });
    const other = cancellationStatsView.idOf({ ...bucket, reason: `${'x'.repeat(200)}b` });
    expect(one.length).toBeLessThan(180);
    expect(one).not.toBe(other);
  });
});
