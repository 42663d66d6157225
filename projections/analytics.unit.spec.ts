import { describe, expect, it } from '@jest/globals';

import { CancellationTally, CustomerTotalsTally, isoWeek, refundShares, SalesTally } from './analytics.js';
import { type OrderView } from './orders.js';

// A business zone 8 hours ahead of UTC (as Asia/Shanghai), written out so that the spec does not depend on the tz database.
const shanghaiDay = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

type Line = OrderView['lines'][number];
const line = (sku: string, quantity: number, unitPrice: number, more: Partial<Line> = {}): Line =>
  ({ sku, quantity, unitPrice, reserved: 0, cancelled: 0, shipped: 0, delivered: 0, received: 0, returned: 0, returnPending: 0, returnedResellable: 0, returnedDamaged: 0, ...more }) as Line;

function order(orderId: string, placedAt: string, lines: Line[], more: Partial<OrderView> = {}): OrderView {
  return {
    id: orderId,
    position: '1',
    orderId,
    kind: 'sale',
    status: 'placed',
    partyId: 'cust-1',
    currency: 'CNY',
    placedAt,
    lines,
    total: lines.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0),
    paid: 0,
    refunded: 0,
    cancellation: null,
    ...more,
  } as OrderView;
}

type Cancellation = NonNullable<OrderView['cancellation']>;
const approved = (reason: string, initiatedBy: Cancellation['initiatedBy'], more: Partial<Cancellation> = {}): Cancellation =>
  ({ state: 'approved', scope: 'whole', lines: [], reason, initiatedBy, decidedAt: '2026-12-03T02:00:00.000Z', cancelledLines: [], returnLines: [], ...more }) as Cancellation;

describe('isoWeek', () => {
  it('names ISO 8601 weeks: Monday first, week 1 holds the first Thursday, the week-year may differ from the year', () => {
    expect(isoWeek('2026-12-01')).toBe('2026-W49');
    expect(isoWeek('2026-11-30')).toBe('2026-W49'); // Monday
    expect(isoWeek('2026-11-29')).toBe('2026-W48'); // Sunday
    expect(isoWeek('2027-01-01')).toBe('2026-W53'); // 2026 starts on a Thursday: 53 weeks
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2026-01-05')).toBe('2026-W02');
  });
});

describe('SalesTally', () => {
  const orders = [
    // 17:00 UTC is the next day in the business zone.
    order('s1', '2026-12-01T17:00:00.000Z', [line('TEA', 5, 1000, { cancelled: 2 }), line('CUP', 1, 250)]),
    order('s2', '2026-12-01T15:59:59.000Z', [line('TEA', 3, 1200, { returned: 1 })], { partyId: 'cust-2' }),
    order('s3', '2026-12-02T03:00:00.000Z', [line('TEA', 4, 900, { cancelled: 4 })]), // cancelled whole: sold nothing
    order('s4', '2026-12-02T04:00:00.000Z', [line('TEA', 9, 1000)], { status: 'rejected' }),
    order('p1', '2026-12-02T04:00:00.000Z', [line('TEA', 50, 500)], { kind: 'purchase' }),
    order('u1', '2026-12-02T05:00:00.000Z', [line('TEA', 2, 300)], { currency: 'USD' }),
  ];

  function tally(groupBy: 'day' | 'week' | 'sku' | 'customer') {
    const sales = new SalesTally(groupBy, shanghaiDay);
    for (const item of orders) sales.add(item);
    return sales.result();
  }

  it('counts units kept (ordered − cancelled − returned) and their value per business day, per currency; rejected and purchase orders sold nothing', () => {
    expect(tally('day')).toEqual([
      { key: '2026-12-01', currency: 'CNY', quantity: 2, value: 2400, orders: 1 },
      { key: '2026-12-02', currency: 'CNY', quantity: 4, value: 3 * 1000 + 250, orders: 1 },
      { key: '2026-12-02', currency: 'USD', quantity: 2, value: 600, orders: 1 },
    ]);
  });

  it('groups by ISO week, by sku (highest value first) and by customer', () => {
    expect(tally('week')).toEqual([
      { key: '2026-W49', currency: 'CNY', quantity: 6, value: 2400 + 3250, orders: 2 },
      { key: '2026-W49', currency: 'USD', quantity: 2, value: 600, orders: 1 },
    ]);
    expect(tally('sku')).toEqual([
      { key: 'TEA', currency: 'CNY', quantity: 5, value: 5400, orders: 2 },
      { key: 'TEA', currency: 'USD', quantity: 2, value: 600, orders: 1 },
      { key: 'CUP', currency: 'CNY', quantity: 1, value: 250, orders: 1 },
    ]);
    expect(tally('customer')).toEqual([
      { key: 'cust-1', currency: 'CNY', quantity: 4, value: 3250, orders: 1 },
      { key: 'cust-2', currency: 'CNY', quantity: 2, value: 2400, orders: 1 },
      { key: 'cust-1', currency: 'USD', quantity: 2, value: 600, orders: 1 },
    ]);
  });
});

describe('CancellationTally', () => {
  const orders = [
    order('s1', '2026-11-30T01:00:00.000Z', [line('TEA', 2, 1000)], { cancellation: approved('late', 'customer'), refunded: 2000 }),
    order('s2', '2026-12-01T01:00:00.000Z', [line('TEA', 1, 1000), line('CUP', 2, 500)], {
      cancellation: approved('late', 'company', { scope: 'lines', cancelledLines: [{ sku: 'CUP', quantity: 2 }] }),
      refunded: 700,
    }),
    order('s3', '2026-12-01T02:00:00.000Z', [line('CUP', 1, 500)], { cancellation: { ...approved('damaged', 'customer'), state: 'requested' } }),
    order('s4', '2026-12-07T02:00:00.000Z', [line('TEA', 1, 1000)], { cancellation: approved('damaged', 'customer'), refunded: 0 }),
    order('s5', '2026-12-07T03:00:00.000Z', [line('TEA', 1, 1000)], { status: 'rejected', cancellation: null }),
  ];

  function tally(groupBy: 'reason' | 'initiator' | 'week' | 'sku') {
    const cancellations = new CancellationTally(groupBy, shanghaiDay);
    for (const item of orders) cancellations.add(item);
    return cancellations.result();
  }

  it('by reason and initiator: approved cancellations over every order of the period (rejected ones are no orders), with the refunds', () => {
    expect(tally('reason')).toEqual([
      { key: 'late', currency: 'CNY', count: 2, orders: 4, rate: 0.5, refunded: 2700 },
      { key: 'damaged', currency: 'CNY', count: 1, orders: 4, rate: 0.25, refunded: 0 },
    ]);
    expect(tally('initiator')).toEqual([
      { key: 'customer', currency: 'CNY', count: 2, orders: 4, rate: 0.5, refunded: 2000 },
      { key: 'company', currency: 'CNY', count: 1, orders: 4, rate: 0.25, refunded: 700 },
    ]);
  });

  it('by week of placement: the cancelled share of that week’s orders', () => {
    expect(tally('week')).toEqual([
      { key: '2026-W49', currency: 'CNY', count: 2, orders: 3, rate: 0.6667, refunded: 2700 },
      { key: '2026-W50', currency: 'CNY', count: 1, orders: 1, rate: 1, refunded: 0 },
    ]);
  });

  it('by sku: a partial cancellation counts for the skus it took; the orders of a sku are those with a line of it', () => {
    expect(tally('sku')).toEqual([
      { key: 'TEA', currency: 'CNY', count: 2, orders: 3, rate: 0.6667, refunded: 2000 },
      { key: 'CUP', currency: 'CNY', count: 1, orders: 2, rate: 0.5, refunded: 700 },
    ]);
  });
});

describe('refundShares', () => {
  it('splits the refund over the cancelled skus by value, in integers that add up exactly', () => {
    const split = order('s1', '2026-12-01T00:00:00.000Z', [line('A', 1, 100), line('B', 1, 100), line('C', 1, 100)], {
      cancellation: approved('late', 'customer', { cancelledLines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }], returnLines: [{ sku: 'C', quantity: 1 }] }),
      refunded: 1001,
    });
    expect(Object.fromEntries(refundShares(split))).toEqual({ A: 334, B: 334, C: 333 });
    const purchase = order('p1', '2026-12-01T00:00:00.000Z', [line('A', 3, 100), line('B', 1, 100)], { kind: 'purchase', cancellation: approved('late', 'supplier'), refunded: 400 });
    expect(Object.fromEntries(refundShares(purchase))).toEqual({ A: 300, B: 100 });
  });
});

describe('CustomerTotalsTally', () => {
  it('sums orders, approved cancellations, paid, refunded and lifetime value; money in the latest order’s currency and per currency', () => {
    const tally = new CustomerTotalsTally();
    for (const item of [
      order('s3', '2026-12-03T00:00:00.000Z', [line('TEA', 1, 1000)], { paid: 1000 }),
      order('s2', '2026-12-02T00:00:00.000Z', [line('TEA', 2, 1000)], { paid: 2000, refunded: 2000, cancellation: approved('late', 'customer') }),
      order('s1', '2026-12-01T00:00:00.000Z', [line('TEA', 1, 700)], { paid: 700, currency: 'USD' }),
      order('s0', '2026-11-30T00:00:00.000Z', [line('TEA', 1, 700)], { status: 'rejected' }),
    ]) {
      tally.add(item);
    }
    expect(tally.result()).toEqual({
      totals: { currency: 'CNY', orders: 3, cancelled: 1, paid: 3000, refunded: 2000, lifetimeValue: 1000 },
      byCurrency: [
        { currency: 'CNY', orders: 2, cancelled: 1, paid: 3000, refunded: 2000, lifetimeValue: 1000 },
        { currency: 'USD', orders: 1, cancelled: 0, paid: 700, refunded: 0, lifetimeValue: 700 },
      ],
    });
    expect(new CustomerTotalsTally().result().totals).toEqual({ currency: 'CNY', orders: 0, cancelled: 0, paid: 0, refunded: 0, lifetimeValue: 0 });
  });
});
