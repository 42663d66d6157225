import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

// Readable document numbers over HTTP, on the real application and the embedded store (docs/api.md, POST /api/orders).
let jxc: RunningApp;
const keys: Record<string, string> = {};
let sku: string;

interface Placed {
  readonly orderId: string;
  readonly number: string;
  readonly placedAt: string;
  readonly position: string;
}

beforeAll(async () => {
  jxc = await startApp();
  keys.admin = ADMIN_KEY;
  keys.alice = await jxc.keyFor('alice', 'clerk');
  keys.ann = await jxc.keyFor('ann', 'analyst');
  await post('/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House' }, 'admin').expect(201);
  await post('/api/suppliers', { id: 'sup-1', name: 'West Lake Tea Farm' }, 'admin').expect(201);
  sku = 'LONGJING-250G';
  await post('/api/products', { sku, name: 'Longjing 250 g', price: 1000 }, 'admin').expect(201);
  await post('/api/stock/receipts', { sku, quantity: 1000 }, 'admin').expect(201);
});
afterAll(async () => {
  await jxc.close();
});

function post(path: string, body: object, who = 'alice', headers: Record<string, string> = {}) {
  return jxc.http.post(path).set({ ...jxc.as(keys[who]), ...headers }).send(body);
}

async function place(kind: 'sale' | 'purchase', extra: object = {}, headers: Record<string, string> = {}): Promise<Placed> {
  const body = { kind, partyId: kind === 'sale' ? 'cust-1' : 'sup-1', lines: [{ sku, quantity: 1, unitPrice: 1000 }], ...extra };
  const response = await post('/api/orders', body, 'alice', headers);
  expect(response.status).toBe(201);
  return response.body as Placed;
}

/** The series number of `SO-2026-000007` (7), checking its shape and that its year is the placement's UTC year. */
function sequenceOf(order: Placed, prefix: 'SO' | 'PO'): number {
  const year = new Date(order.placedAt).getUTCFullYear();
  expect(order.number).toMatch(new RegExp(`^${prefix}-${year}-\\d{6}$`));
  return Number(order.number.slice(-6));
}

const byNumber = (number: string, minPosition: string) => jxc.http.get(`/api/orders?number=${encodeURIComponent(number)}&minPosition=${minPosition}`).set(jxc.as(keys.ann)).expect(200);

describe('document numbers', () => {
  it('number sales SO-<UTC year>-000001, 000002 … and purchases PO-<UTC year>-000001 … on their own series', async () => {
    const sales = [await place('sale'), await place('sale'), await place('sale')];
    const purchases = [await place('purchase'), await place('purchase')];
    expect(sales.map((order) => sequenceOf(order, 'SO'))).toEqual([1, 2, 3]);
    expect(purchases.map((order) => sequenceOf(order, 'PO'))).toEqual([1, 2]);
  });

  it('a generated number finds its order with GET /api/orders?number=', async () => {
    const order = await place('sale');
    const found = await byNumber(order.number, order.position);
    expect(found.body.items.map((item: Placed) => [item.orderId, item.number])).toEqual([[order.orderId, order.number]]);
  });

  it('keep a given number if no other order has it; giving it again for another order is 409 already_exists naming number, and places nothing', async () => {
    const given = await place('purchase', { number: 'WL-2026-0042' });
    expect(given.number).toBe('WL-2026-0042');
    const again = await post('/api/orders', { kind: 'sale', partyId: 'cust-1', number: 'WL-2026-0042', lines: [{ sku, quantity: 1, unitPrice: 1000 }] });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'already_exists', details: { field: 'number', number: 'WL-2026-0042' } });
    const later = await place('sale');
    const found = await byNumber('WL-2026-0042', later.position);
    expect(found.body.items.map((item: Placed) => item.orderId)).toEqual([given.orderId]);
  });

  it('a number a client gave first is skipped by the series, never handed out twice', async () => {
    const last = await place('sale');
    const before = sequenceOf(last, 'SO');
    const ahead = `${last.number.slice(0, -6)}${String(before + 2).padStart(6, '0')}`;
    expect((await place('sale', { number: ahead })).number).toBe(ahead);
    const next = [await place('sale'), await place('sale')];
    expect(next.map((order) => sequenceOf(order, 'SO'))).toEqual([before + 1, before + 3]);
  });

  it('20 placements at once get 20 distinct numbers, the next 20 of the series', async () => {
    const before = sequenceOf(await place('sale'), 'SO');
    const orders = await Promise.all(Array.from({ length: 20 }, () => place('sale')));
    const numbers = orders.map((order) => sequenceOf(order, 'SO')).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
    const after = await place('sale');
    expect(sequenceOf(after, 'SO')).toBe(before + 21);
  });

  it('a placement retried with its Idempotency-Key has the same number; another key takes the next', async () => {
    const first = await place('sale', {}, { 'Idempotency-Key': 'numbers-retry-1' });
    const retried = await place('sale', {}, { 'Idempotency-Key': 'numbers-retry-1' });
    expect([retried.orderId, retried.number]).toEqual([first.orderId, first.number]);
    const other = await place('sale', {}, { 'Idempotency-Key': 'numbers-retry-2' });
    expect(sequenceOf(other, 'SO')).toBe(sequenceOf(first, 'SO') + 1);
  });
});
