import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { isoWeek } from '../../projections/analytics.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

/*
 * Sales and cancellation analytics and a customer's history over HTTP, on a fresh data dir:
 *   u1 (alice, cust-1, USD): TEA ×1 at 700, unpaid
 *   s1 (alice, cust-1): TEA ×3 at 1000 + CUP ×2 at 500 = 4000, paid 4000
 *   s2 (alice, cust-1): TEA ×2 at 1000 = 2000, paid 2000, cancelled whole by the customer ("changed mind"): refunded 2000
 *   p1 (alice, sup-1, purchase): TEA ×10 at 400, cancelled by the supplier ("out of stock")
 *   s3 (carol, cust-2): CUP ×4 at 500 = 2000, unpaid, one CUP cancelled by the company ("damaged box")
 */

let jxc: RunningApp;
const keys: Record<string, string> = { admin: ADMIN_KEY };
let startedAt: string;
let position: string;
const placedAt: Record<string, string> = {};

// Asia/Shanghai is UTC+8 all year (no daylight saving time): the business day of a time, written out independently.
const shanghaiDay = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

const post = (who: string, path: string, body: object = {}) => jxc.http.post(path).set(jxc.as(keys[who]!)).send(body);
const get = (who: string, path: string) => jxc.http.get(path).set(jxc.as(keys[who]!));

async function place(who: string, orderId: string, partyId: string, lines: { sku: string; quantity: number; unitPrice: number }[], currency?: string): Promise<void> {
  const placed = (await post(who, '/api/orders', { orderId, kind: 'sale', partyId, lines, ...(currency === undefined ? {} : { currency }) }).expect(201)).body;
  placedAt[orderId] = placed.placedAt;
  position = placed.position;
}

beforeAll(async () => {
  jxc = await startApp();
  for (const [user, role] of [
    ['alice', 'clerk'],
    ['carol', 'clerk'],
    ['bob', 'approver'],
    ['wang', 'warehouse'],
    ['fay', 'finance'],
    ['aud', 'auditor'],
    ['ann', 'analyst'],
  ] as const) {
    keys[user] = await jxc.keyFor(user, role);
  }
  startedAt = new Date(Date.now() - 1000).toISOString();
  await post('admin', '/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House', phone: '+86 571 0000 0001' }).expect(201);
  await post('admin', '/api/customers', { id: 'cust-2', name: 'Suzhou Cup Shop' }).expect(201);
  await post('admin', '/api/suppliers', { id: 'sup-1', name: 'West Lake Tea Farm' }).expect(201);
  for (const sku of ['TEA', 'CUP']) {
    await post('admin', '/api/products', { sku, name: sku, price: 1000 }).expect(201);
    await post('wang', '/api/stock/receipts', { sku, quantity: 100 }).expect(201);
  }
  await place('alice', 'u1', 'cust-1', [{ sku: 'TEA', quantity: 1, unitPrice: 700 }], 'USD');
  await place('alice', 's1', 'cust-1', [{ sku: 'TEA', quantity: 3, unitPrice: 1000 }, { sku: 'CUP', quantity: 2, unitPrice: 500 }]);
  await post('alice', '/api/orders/s1/payments', { amount: 4000, method: 'card' }).expect(200);
  await place('alice', 's2', 'cust-1', [{ sku: 'TEA', quantity: 2, unitPrice: 1000 }]);
  await post('alice', '/api/orders/s2/payments', { amount: 2000, method: 'card' }).expect(200);
  await post('alice', '/api/orders/s2/cancellation', { reason: 'changed mind', initiatedBy: 'customer' }).expect(200);
  expect((await post('bob', '/api/orders/s2/cancellation/approve', {}).expect(200)).body).toMatchObject({ status: 'cancelled', refunded: 2000 });
  await post('alice', '/api/orders', { orderId: 'p1', kind: 'purchase', partyId: 'sup-1', lines: [{ sku: 'TEA', quantity: 10, unitPrice: 400 }] }).expect(201);
  await post('alice', '/api/orders/p1/cancellation', { reason: 'out of stock', initiatedBy: 'supplier' }).expect(200);
  await post('bob', '/api/orders/p1/cancellation/approve', {}).expect(200);
  await place('carol', 's3', 'cust-2', [{ sku: 'CUP', quantity: 4, unitPrice: 500 }]);
  await post('carol', '/api/orders/s3/cancellation', { reason: 'damaged box', initiatedBy: 'company', lines: [{ sku: 'CUP', quantity: 1 }] }).expect(200);
  const approved = (await post('bob', '/api/orders/s3/cancellation/approve', {}).expect(200)).body;
  expect(approved.lines).toMatchObject([{ sku: 'CUP', quantity: 4, cancelled: 1 }]);
  position = approved.position;
});
afterAll(async () => {
  await jxc.close();
});

describe('GET /api/analytics/sales', () => {
  it('sums units kept and their value per sku, per customer, per business day and ISO week, one group per currency', async () => {
    const day = shanghaiDay(placedAt.s1!);
    const sales = async (groupBy: string) => (await get('ann', `/api/analytics/sales?groupBy=${groupBy}&minPosition=${position}`).expect(200)).body;

    expect(await sales('sku')).toEqual({
      groupBy: 'sku',
      timeZone: 'Asia/Shanghai',
      from: null,
      to: null,
      groups: [
        { key: 'TEA', currency: 'CNY', quantity: 3, value: 3000, orders: 1 },
        { key: 'CUP', currency: 'CNY', quantity: 5, value: 2500, orders: 2 },
        { key: 'TEA', currency: 'USD', quantity: 1, value: 700, orders: 1 },
      ],
    });
    expect((await sales('customer')).groups).toEqual([
      { key: 'cust-1', currency: 'CNY', quantity: 5, value: 4000, orders: 1 },
      { key: 'cust-2', currency: 'CNY', quantity: 3, value: 1500, orders: 1 },
      { key: 'cust-1', currency: 'USD', quantity: 1, value: 700, orders: 1 },
    ]);
    expect((await sales('day')).groups).toEqual([
      { key: day, currency: 'CNY', quantity: 8, value: 5500, orders: 2 },
      { key: day, currency: 'USD', quantity: 1, value: 700, orders: 1 },
    ]);
    expect((await sales('week')).groups).toEqual([
      { key: isoWeek(day), currency: 'CNY', quantity: 8, value: 5500, orders: 2 },
      { key: isoWeek(day), currency: 'USD', quantity: 1, value: 700, orders: 1 },
    ]);
    // Default grouping: by day.
    expect((await get('fay', '/api/analytics/sales').expect(200)).body.groupBy).toBe('day');
  });

  it('counts only orders placed in the period: from inclusive, to exclusive; a day alone starts at midnight in the business zone', async () => {
    const before = await get('aud', `/api/analytics/sales?groupBy=sku&to=${encodeURIComponent(startedAt)}`).expect(200);
    expect(before.body).toMatchObject({ from: null, to: startedAt, groups: [] });
    const after = await get('aud', `/api/analytics/sales?groupBy=sku&from=${encodeURIComponent(placedAt.s2!)}`).expect(200);
    expect(after.body.groups).toEqual([{ key: 'CUP', currency: 'CNY', quantity: 3, value: 1500, orders: 1 }]);

    const day = shanghaiDay(placedAt.s1!);
    const next = shanghaiDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString());
    const today = await get('aud', `/api/analytics/sales?groupBy=sku&from=${day}&to=${next}`).expect(200);
    expect(today.body.from).toBe(new Date(Date.parse(`${day}T00:00:00.000+08:00`)).toISOString());
    expect(today.body.to).toBe(new Date(Date.parse(`${next}T00:00:00.000+08:00`)).toISOString());
    expect(today.body.groups).toHaveLength(3);
  });
});

describe('GET /api/analytics/cancellations', () => {
  const cancellations = async (groupBy: string) => (await get('fay', `/api/analytics/cancellations?groupBy=${groupBy}&minPosition=${position}`).expect(200)).body;

  it('by reason and initiator: approved cancellations, the share of the period’s orders, the refunded value', async () => {
    expect(await cancellations('reason')).toEqual({
      groupBy: 'reason',
      kind: 'sale',
      timeZone: 'Asia/Shanghai',
      from: null,
      to: null,
      groups: [
        { key: 'changed mind', currency: 'CNY', count: 1, orders: 3, rate: 0.3333, refunded: 2000 },
        { key: 'damaged box', currency: 'CNY', count: 1, orders: 3, rate: 0.3333, refunded: 0 },
      ],
    });
    expect((await cancellations('initiator')).groups).toEqual([
      { key: 'company', currency: 'CNY', count: 1, orders: 3, rate: 0.3333, refunded: 0 },
      { key: 'customer', currency: 'CNY', count: 1, orders: 3, rate: 0.3333, refunded: 2000 },
    ]);
  });

  it('by ISO week of placement and by sku (a partial cancellation counts for the sku it took)', async () => {
    const week = isoWeek(shanghaiDay(placedAt.s1!));
    expect((await cancellations('week')).groups).toEqual([
      { key: week, currency: 'CNY', count: 2, orders: 3, rate: 0.6667, refunded: 2000 },
      { key: week, currency: 'USD', count: 0, orders: 1, rate: 0, refunded: 0 },
    ]);
    expect((await cancellations('sku')).groups).toEqual([
      { key: 'CUP', currency: 'CNY', count: 1, orders: 2, rate: 0.5, refunded: 0 },
      { key: 'TEA', currency: 'CNY', count: 1, orders: 2, rate: 0.5, refunded: 2000 },
      { key: 'TEA', currency: 'USD', count: 0, orders: 1, rate: 0, refunded: 0 },
    ]);
    expect((await get('ann', '/api/analytics/cancellations?kind=purchase&groupBy=initiator').expect(200)).body).toMatchObject({
      groupBy: 'initiator',
      kind: 'purchase',
      groups: [{ key: 'supplier', currency: 'CNY', count: 1, orders: 1, rate: 1, refunded: 0 }],
    });
  });

  it('is for analysts, auditors and finance: a clerk, a warehouse or an approver gets 403; bad parameters are 400 naming the field', async () => {
    for (const who of ['alice', 'wang', 'bob']) {
      await get(who, '/api/analytics/cancellations').expect(403);
      await get(who, '/api/analytics/sales').expect(403);
    }
    const field = async (path: string) => (await get('ann', path).expect(400)).body.error.details.fields.map((problem: { field: string }) => problem.field);
    expect(await field('/api/analytics/sales?groupBy=month')).toEqual(['groupBy']);
    expect(await field('/api/analytics/cancellations?groupBy=customer')).toEqual(['groupBy']);
    expect(await field('/api/analytics/cancellations?from=yesterday')).toEqual(['from']);
    expect(await field('/api/analytics/sales?from=2026-12-02&to=2026-12-01')).toEqual(['to']);
    expect(await field('/api/analytics/cancellations?kind=transfer')).toEqual(['kind']);
  });
});

describe('GET /api/customers/:id/history', () => {
  const cust1Totals = { currency: 'CNY', orders: 3, cancelled: 1, paid: 6000, refunded: 2000, credit: 0, lifetimeValue: 4000 };
  const cust1ByCurrency = [
    { currency: 'CNY', orders: 2, cancelled: 1, paid: 6000, refunded: 2000, lifetimeValue: 4000 },
    { currency: 'USD', orders: 1, cancelled: 0, paid: 0, refunded: 0, lifetimeValue: 0 },
  ];

  it('answers the customer, its orders newest first and its totals; finance and auditors see the personal data, an analyst does not', async () => {
    const history = (await get('fay', `/api/customers/cust-1/history?minPosition=${position}`).expect(200)).body;
    expect(history.customer).toMatchObject({ id: 'cust-1', name: 'Hangzhou Tea House', phone: '+86 571 0000 0001', erased: false });
    expect(history.orders.map((order: { orderId: string }) => order.orderId)).toEqual(['s2', 's1', 'u1']);
    expect(history.orders[0]).toMatchObject({ orderId: 's2', status: 'cancelled', paid: 2000, refunded: 2000, cancellation: { state: 'approved', reason: 'changed mind' } });
    expect(history.totals).toEqual(cust1Totals);
    expect(history.byCurrency).toEqual(cust1ByCurrency);
    expect((await get('aud', '/api/customers/cust-1/history').expect(200)).body.customer.name).toBe('Hangzhou Tea House');

    const analyst = (await get('ann', '/api/customers/cust-1/history').expect(200)).body;
    expect(analyst.customer).toMatchObject({ id: 'cust-1', name: null, phone: null, email: null, address: null });
    expect(analyst.totals).toEqual(cust1Totals);
    expect(JSON.stringify(analyst)).not.toContain('Hangzhou');

    const newest = (await get('fay', '/api/customers/cust-1/history?limit=1').expect(200)).body;
    expect(newest.orders.map((order: { orderId: string }) => order.orderId)).toEqual(['s2']);
    expect(newest.totals).toEqual(cust1Totals);
  });

  it('a clerk sees the customers of the orders it placed, with only those orders; another customer is 404', async () => {
    const carol = (await get('carol', '/api/customers/cust-2/history').expect(200)).body;
    expect(carol.customer.name).toBe('Suzhou Cup Shop');
    expect(carol.orders.map((order: { orderId: string }) => order.orderId)).toEqual(['s3']);
    expect(carol.totals).toEqual({ currency: 'CNY', orders: 1, cancelled: 1, paid: 0, refunded: 0, credit: 0, lifetimeValue: 0 });
    expect((await get('carol', '/api/customers/cust-1/history').expect(404)).body.error.code).toBe('not_found');
    expect((await get('alice', '/api/customers/cust-1/history').expect(200)).body.totals).toEqual(cust1Totals);
    await get('alice', '/api/customers/cust-2/history').expect(404);
  });

  it("counts the store credit the customer can spend now, from its ledger (the credits route's balance)", async () => {
    await post('fay', '/api/customers/cust-2/credits', { amount: 1500, reason: 'late delivery', expiresAt: '2099-12-31T00:00:00.000Z' }).expect(201);
    await post('fay', '/api/customers/cust-2/credits', { amount: 500, reason: 'damaged box' }).expect(201);
    expect((await get('carol', '/api/customers/cust-2/history').expect(200)).body.totals).toEqual({ currency: 'CNY', orders: 1, cancelled: 1, paid: 0, refunded: 0, credit: 2000, lifetimeValue: 0 });
    expect((await get('fay', '/api/customers/cust-2/credits').expect(200)).body.balance).toBe(2000);
    // Another customer's credit is its own.
    expect((await get('fay', '/api/customers/cust-1/history').expect(200)).body.totals).toEqual(cust1Totals);
  });

  it('an unknown customer is 404; roles without customer history get 403', async () => {
    expect((await get('fay', '/api/customers/nobody/history').expect(404)).body.error.code).toBe('not_found');
    await get('wang', '/api/customers/cust-1/history').expect(403);
    await get('bob', '/api/customers/cust-1/history').expect(403);
    expect((await get('fay', '/api/customers/cust-1/history?limit=0').expect(400)).body.error.details.fields[0].field).toBe('limit');
  });

  it('after an erasure, keeps the orders and totals and shows the customer with its personal data null', async () => {
    expect((await post('admin', '/api/customers/cust-2/erase', { reason: 'right to erasure' }).expect(200)).body).toMatchObject({ erased: true });
    // The data key is gone at once: the view may still be catching up on `erased`, the names are null already.
    const history = (await get('fay', '/api/customers/cust-2/history').expect(200)).body;
    expect(history.customer).toMatchObject({ id: 'cust-2', name: null, phone: null, email: null, address: null });
    expect(history.orders.map((order: { orderId: string }) => order.orderId)).toEqual(['s3']);
    expect(history.totals).toMatchObject({ orders: 1, cancelled: 1 });
  });
});

describe('JXC_BUSINESS_TZ', () => {
  const withZone = async <T>(zone: string, work: () => Promise<T>): Promise<T> => {
    const before = process.env.JXC_BUSINESS_TZ;
    process.env.JXC_BUSINESS_TZ = zone;
    try {
      return await work();
    } finally {
      if (before === undefined) delete process.env.JXC_BUSINESS_TZ;
      else process.env.JXC_BUSINESS_TZ = before;
    }
  };

  it('counts days in the configured zone, and a zone the runtime does not know stops the start naming the variable', async () => {
    const other = await withZone('America/New_York', () => startApp());
    try {
      const answer = (await other.http.get('/api/analytics/sales?from=2026-07-01&to=2026-07-02').set(other.as(ADMIN_KEY)).expect(200)).body;
      expect(answer).toEqual({ groupBy: 'day', timeZone: 'America/New_York', from: '2026-07-01T04:00:00.000Z', to: '2026-07-02T04:00:00.000Z', groups: [] });
    } finally {
      await other.close();
    }
    await expect(withZone('Mars/Olympus', () => startApp())).rejects.toThrow(/JXC_BUSINESS_TZ must be an IANA time zone/);
  });
});
