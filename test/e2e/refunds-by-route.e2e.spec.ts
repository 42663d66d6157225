import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { until } from '../support/until.js';

/*
 * API.md "Money": a refund of `original` goes back by the routes the money came, split over the order's payments
 * latest first and never more back than each brought; `cash` and `store_credit` are one route chosen by the
 * approver. The order view lists the payments (`P<n>`) and the refunds with their route and the payment reversed.
 */

let jxc: RunningApp;
const keys: Record<string, string> = {};
let counter = 0;

beforeAll(async () => {
  jxc = await startApp();
  keys.admin = ADMIN_KEY;
  keys.carol = await jxc.keyFor('carol', 'clerk');
  keys.fay = await jxc.keyFor('fay', 'finance');
  keys.abe = await jxc.keyFor('abe', 'approver');
  keys.wang = await jxc.keyFor('wang', 'warehouse');
  await post('admin', '/api/customers', { id: 'rr-cust', name: 'Suzhou Tea House' }).expect(201);
  await post('admin', '/api/products', { sku: 'RR-TEA', name: 'Longjing', price: 1000 }).expect(201);
  await post('wang', '/api/stock/receipts', { sku: 'RR-TEA', quantity: 100 }).expect(201);
});
afterAll(async () => {
  await jxc.close();
});

type Body = Record<string, unknown>;
const post = (who: string, path: string, body: object = {}) => jxc.http.post(path).set(jxc.as(keys[who])).send(body);
const get = (who: string, path: string) => jxc.http.get(path).set(jxc.as(keys[who]));

/** A sale of `quantity` × 10.00, paid by the given routes, with a cancellation requested by the customer. */
async function paidSale(quantity: number, payments: [string, number][]): Promise<string> {
  const placed = await post('carol', '/api/orders', { orderId: `rr-${++counter}`, kind: 'sale', partyId: 'rr-cust', lines: [{ sku: 'RR-TEA', quantity }] }).expect(201);
  const orderId = placed.body.orderId as string;
  for (const [method, amount] of payments) await post('fay', `/api/orders/${orderId}/payments`, { amount, method }).expect(200);
  await post('carol', `/api/orders/${orderId}/cancellation`, { reason: 'changed mind', initiatedBy: 'customer' }).expect(200);
  return orderId;
}

const view = (orderId: string, position: unknown) => get('fay', `/api/orders/${orderId}?minPosition=${String(position)}`).expect(200);
const routes = (refunds: Body[]) => refunds.map(({ method, amount, paymentId }) => ({ method, amount, paymentId }));

describe('refunds by route', () => {
  it('original: split over the payments latest first, each back by its own route, in the answer and the view', async () => {
    const orderId = await paidSale(3, [['card', 1000], ['alipay', 1200], ['wechat', 800]]);
    const approved = await post('abe', `/api/orders/${orderId}/cancellation/approve`, {}).expect(200);
    const expected = [
      { method: 'wechat', amount: 800, paymentId: 'P3' },
      { method: 'alipay', amount: 1200, paymentId: 'P2' },
      { method: 'card', amount: 1000, paymentId: 'P1' },
    ];
    expect(routes(approved.body.refunds)).toEqual(expected);
    const shown = await view(orderId, approved.body.position);
    expect(shown.body).toMatchObject({ paid: 3000, refunded: 3000, status: 'cancelled' });
    expect((shown.body.payments as Body[]).map(({ paymentId, method, amount }) => ({ paymentId, method, amount }))).toEqual([
      { paymentId: 'P1', method: 'card', amount: 1000 },
      { paymentId: 'P2', method: 'alipay', amount: 1200 },
      { paymentId: 'P3', method: 'wechat', amount: 800 },
    ]);
    expect(routes(shown.body.refunds as Body[])).toEqual(expected);
    for (const line of [...(shown.body.payments as Body[]), ...(shown.body.refunds as Body[])]) expect(typeof line.at).toBe('string');
  });

  it('a part cancelled takes back from the latest payment first, never more than it brought', async () => {
    const orderId = await paidSale(1, [['card', 400], ['cash', 600]]);
    const approved = await post('abe', `/api/orders/${orderId}/cancellation/approve`, {}).expect(200);
    expect(routes(approved.body.refunds)).toEqual([{ method: 'cash', amount: 600, paymentId: 'P2' }, { method: 'card', amount: 400, paymentId: 'P1' }]);

    const placed = await post('carol', '/api/orders', { orderId: `rr-${++counter}`, kind: 'sale', partyId: 'rr-cust', lines: [{ sku: 'RR-TEA', quantity: 2 }] }).expect(201);
    const two = placed.body.orderId as string;
    await post('fay', `/api/orders/${two}/payments`, { amount: 1500, method: 'card' }).expect(200);
    await post('fay', `/api/orders/${two}/payments`, { amount: 500, method: 'alipay' }).expect(200);
    await post('carol', `/api/orders/${two}/cancellation`, { reason: 'one is enough', initiatedBy: 'customer', lines: [{ sku: 'RR-TEA', quantity: 1 }] }).expect(200);
    const partly = await post('abe', `/api/orders/${two}/cancellation/approve`, {}).expect(200);
    expect(routes(partly.body.refunds)).toEqual([{ method: 'alipay', amount: 500, paymentId: 'P2' }, { method: 'card', amount: 500, paymentId: 'P1' }]);
  });

  it('cash chosen by the approver is one route naming no payment', async () => {
    const orderId = await paidSale(1, [['card', 1000]]);
    const approved = await post('abe', `/api/orders/${orderId}/cancellation/approve`, { refundMethod: 'cash' }).expect(200);
    expect(routes(approved.body.refunds)).toEqual([{ method: 'cash', amount: 1000, paymentId: null }]);
  });

  it('store credit chosen by the approver is granted to the customer by the order process', async () => {
    const orderId = await paidSale(1, [['card', 1000]]);
    const approved = await post('abe', `/api/orders/${orderId}/cancellation/approve`, { refundMethod: 'store_credit' }).expect(200);
    expect(routes(approved.body.refunds)).toEqual([{ method: 'store_credit', amount: 1000, paymentId: null }]);
    const ledger = await until('the refund to be granted as store credit', async () => {
      const response = await get('fay', '/api/customers/rr-cust/credits').expect(200);
      return (response.body.entries as Body[]).some((entry) => entry.orderId === orderId) ? (response.body as Body) : undefined;
    }, 10_000);
    expect((ledger.entries as Body[]).filter((entry) => entry.orderId === orderId)).toEqual([
      expect.objectContaining({ kind: 'grant', amount: 1000, orderId, expiresAt: null }),
    ]);
  });

  it('refuses an unknown refund method naming the field', async () => {
    const orderId = await paidSale(1, [['card', 1000]]);
    const refused = await post('abe', `/api/orders/${orderId}/cancellation/approve`, { refundMethod: 'cheque' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error.details)).toContain('refundMethod');
  });
});
