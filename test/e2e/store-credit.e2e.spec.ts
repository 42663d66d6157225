import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { paymentStream } from '../../domain/index.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { StreamFaults } from '../support/stream-faults.js';
import { until } from '../support/until.js';

/*
 * API.md "Money", store credit: grants (approver, finance), the ledger (finance, auditor; a clerk for the customers
 * of its own orders), payments drawn on it (409 insufficient_credit), goodwill of an approval becoming a grant for
 * any initiator, expiry, and a payment whose second step (the order's payment stream) failed finished by recovery.
 * Real SQLite on disk; every response is checked against the served OpenAPI document when the app closes.
 */

let jxc: RunningApp;
const keys: Record<string, string> = {};
const faults = new StreamFaults();
let counter = 0;

beforeAll(async () => {
  jxc = await startApp({}, { wrapEventStore: faults.wrap });
  keys.admin = ADMIN_KEY;
  keys.carol = await jxc.keyFor('carol', 'clerk');
  keys.dave = await jxc.keyFor('dave', 'clerk');
  keys.fay = await jxc.keyFor('fay', 'finance');
  keys.abe = await jxc.keyFor('abe', 'approver');
  keys.aud = await jxc.keyFor('aud', 'auditor');
  keys.ann = await jxc.keyFor('ann', 'analyst');
  keys.wang = await jxc.keyFor('wang', 'warehouse');
  for (const id of ['sc-1', 'sc-2', 'sc-3', 'sc-4']) await post('admin', '/api/customers', { id, name: `Customer ${id}` }).expect(201);
  await post('admin', '/api/products', { sku: 'SC-TEA', name: 'Biluochun', price: 1000 }).expect(201);
  await post('wang', '/api/stock/receipts', { sku: 'SC-TEA', quantity: 100 }).expect(201);
});
afterAll(async () => {
  await jxc.close();
});

type Body = Record<string, unknown>;
const post = (who: string, path: string, body: object = {}) => jxc.http.post(path).set(jxc.as(keys[who])).send(body);
const get = (who: string, path: string) => jxc.http.get(path).set(jxc.as(keys[who]));

async function sale(customerId: string, quantity = 1, who = 'carol'): Promise<string> {
  const placed = await post(who, '/api/orders', { orderId: `sc-order-${++counter}`, kind: 'sale', partyId: customerId, lines: [{ sku: 'SC-TEA', quantity }] }).expect(201);
  return placed.body.orderId as string;
}

const ledger = async (customerId: string): Promise<Body> => (await get('fay', `/api/customers/${customerId}/credits`).expect(200)).body as Body;

describe('store credit', () => {
  it('is granted by an approver or finance and read with its entries and balance', async () => {
    const granted = await post('abe', '/api/customers/sc-1/credits', { amount: 1500, reason: 'late delivery' }).expect(201);
    expect(granted.body).toMatchObject({ customerId: 'sc-1', balance: 1500, currency: 'CNY' });
    await post('fay', '/api/customers/sc-1/credits', { amount: 500, reason: 'birthday' }).expect(201);
    const read = await ledger('sc-1');
    expect(read.balance).toBe(2000);
    expect((read.entries as Body[]).map(({ kind, amount, reason }) => ({ kind, amount, reason }))).toEqual([
      { kind: 'grant', amount: 1500, reason: 'late delivery' },
      { kind: 'grant', amount: 500, reason: 'birthday' },
    ]);
    expect((await get('aud', '/api/customers/sc-1/credits').expect(200)).body.balance).toBe(2000);
  });

  it('checks roles before anything else, and names bad fields', async () => {
    expect((await post('carol', '/api/customers/sc-1/credits', { amount: 100, reason: 'x' })).status).toBe(403);
    expect((await post('aud', '/api/customers/sc-1/credits', { amount: 100, reason: 'x' })).status).toBe(403);
    expect((await get('ann', '/api/customers/sc-1/credits')).status).toBe(403);
    const bad = await post('fay', '/api/customers/sc-1/credits', { amount: 1.5, reason: '', expiresAt: 'soon' });
    expect(bad.status).toBe(400);
    const named = JSON.stringify(bad.body.error.details);
    for (const field of ['amount', 'reason', 'expiresAt']) expect(named).toContain(field);
    const past = await post('fay', '/api/customers/sc-1/credits', { amount: 100, reason: 'x', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body.error.details)).toContain('expiresAt');
    expect((await post('fay', '/api/customers/nobody/credits', { amount: 100, reason: 'x' })).status).toBe(404);
    expect((await post('fay', '/api/customers/sc-1/credits', { amount: 100, reason: 'x', orderId: 'no-such-order' })).status).toBe(400);
  });

  it('a clerk reads the credit of its own orders\' customers only (its orders found in the orders view: minPosition waits for a new one)', async () => {
    const placed = await post('carol', '/api/orders', { orderId: `sc-order-${++counter}`, kind: 'sale', partyId: 'sc-2', lines: [{ sku: 'SC-TEA', quantity: 1 }] }).expect(201);
    expect((await get('carol', `/api/customers/sc-2/credits?minPosition=${placed.body.position}`)).status).toBe(200);
    expect((await get('dave', '/api/customers/sc-2/credits')).status).toBe(404);
  });

  it('pays a sale: the payment is the order\'s P<n> by store_credit, the spend is in the ledger; beyond the balance is 409 insufficient_credit', async () => {
    await post('fay', '/api/customers/sc-3/credits', { amount: 1200, reason: 'compensation' }).expect(201);
    const orderId = await sale('sc-3', 2);
    await post('carol', `/api/orders/${orderId}/payments`, { amount: 300, method: 'cash' }).expect(200);
    const paid = await post('carol', `/api/orders/${orderId}/payments`, { amount: 1000, method: 'store_credit' }).expect(200);
    expect(paid.body).toMatchObject({ paid: 1300 });
    expect((paid.body.payments as Body[]).map(({ paymentId, method, amount }) => ({ paymentId, method, amount }))).toEqual([
      { paymentId: 'P1', method: 'cash', amount: 300 },
      { paymentId: 'P2', method: 'store_credit', amount: 1000 },
    ]);
    const after = await ledger('sc-3');
    expect(after.balance).toBe(200);
    expect((after.entries as Body[]).at(-1)).toMatchObject({ kind: 'spend', amount: 1000, orderId });

    const refused = await post('carol', `/api/orders/${orderId}/payments`, { amount: 300, method: 'store_credit' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'insufficient_credit', details: { available: 200, amount: 300 } });
    // A payment the order refuses spends nothing.
    const over = await post('carol', `/api/orders/${orderId}/payments`, { amount: 800, method: 'store_credit' });
    expect(over.body.error.code).toBe('overpayment');
    expect((await ledger('sc-3')).balance).toBe(200);

    // Cancelled: the store credit payment goes back as store credit, the cash by cash.
    await post('carol', `/api/orders/${orderId}/cancellation`, { reason: 'changed mind', initiatedBy: 'customer' }).expect(200);
    const approved = await post('abe', `/api/orders/${orderId}/cancellation/approve`, {}).expect(200);
    expect((approved.body.refunds as Body[]).map(({ method, amount, paymentId }) => ({ method, amount, paymentId }))).toEqual([
      { method: 'store_credit', amount: 1000, paymentId: 'P2' },
      { method: 'cash', amount: 300, paymentId: 'P1' },
    ]);
    expect((await ledger('sc-3')).balance).toBe(1200);
  });

  it('the goodwill of an approval becomes a grant whoever initiated the cancellation, and expires', async () => {
    const orderId = await sale('sc-4');
    await post('carol', `/api/orders/${orderId}/cancellation`, { reason: 'out of season', initiatedBy: 'company' }).expect(200);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const approved = await post('abe', `/api/orders/${orderId}/cancellation/approve`, { goodwillCoupon: { amount: 700, expiresAt } }).expect(200);
    expect(approved.body.cancellation.goodwillCoupon).toEqual({ amount: 700, expiresAt, code: null });
    const granted = await ledger('sc-4');
    expect((granted.entries as Body[])[0]).toMatchObject({ kind: 'grant', amount: 700, orderId, expiresAt });
    const expired = await until('the goodwill credit to expire', async () => {
      const read = await ledger('sc-4');
      return (read.entries as Body[]).some((entry) => entry.kind === 'expiry') ? read : undefined;
    }, 10_000);
    expect(expired.balance).toBe(0);
    expect((expired.entries as Body[]).at(-1)).toMatchObject({ kind: 'expiry', amount: 700 });
  });

  it('a store credit payment whose payment append failed after the spend is finished by recovery', async () => {
    await post('fay', '/api/customers/sc-2/credits', { amount: 900, reason: 'make good' }).expect(201);
    const orderId = await sale('sc-2');
    faults.fail(paymentStream(orderId));
    const answered = await post('carol', `/api/orders/${orderId}/payments`, { amount: 900, method: 'store_credit' });
    expect(answered.status).toBe(503);
    expect(faults.refused.get(paymentStream(orderId))).toBeGreaterThan(0);
    expect((await ledger('sc-2')).balance).toBe(0);
    faults.heal();
    const order = await until('the recovery to record the payment', async () => {
      const response = await get('fay', `/api/orders/${orderId}`);
      return response.status === 200 && response.body.paid === 900 ? (response.body as Body) : undefined;
    }, 20_000);
    expect(order.payments).toEqual([expect.objectContaining({ paymentId: 'P1', method: 'store_credit', amount: 900 })]);
    expect((await ledger('sc-2')).balance).toBe(0);
  });
});
