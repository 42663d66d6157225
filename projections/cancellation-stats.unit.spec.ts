import { describe, expect, it } from '@jest/globals';

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
      { id: '2026-03-05|sale|customer|CNY|changed mind', position: '99', day: '2026-03-05', kind: 'sale', initiatedBy: 'customer', reason: 'changed mind', currency: 'CNY', count: 2, value: 2 * 4498, refunded: 1000 },
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

  it('ignores requests still pending, rejected or withdrawn', () => {
    const log = new EventLog();
    const facts = orderFacts('s1');
    for (const event of [facts.salePlaced(), facts.reserved(), facts.cancellationRequested(), facts.cancellationRejected()]) log.append(orderStream('s1'), event);
    expect(aggregateAll(cancellationStatsView, fold(ordersView, log.events).values(), '9').size).toBe(0);
  });

  it('keeps ids short for long reasons and tells such reasons apart', () => {
    const bucket = { day: '2026-03-05', kind: 'sale' as const, initiatedBy: 'customer', currency: 'CNY' };
    const one = cancellationStatsView.idOf({ ...bucket, reason: `${'x'.repeat(200)}a` });
    const other = cancellationStatsView.idOf({ ...bucket, reason: `${'x'.repeat(200)}b` });
    expect(one.length).toBeLessThan(180);
    expect(one).not.toBe(other);
  });
});
