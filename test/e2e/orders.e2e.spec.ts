import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { stockStream } from '../../domain/index.js';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { stockAggregate } from '../../src/platform/write-model/aggregates.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

let jxc: RunningApp;
const keys: Record<string, string> = {};
let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}`;

beforeAll(async () => {
  jxc = await startApp();
  keys.admin = ADMIN_KEY;
  keys.alice = await jxc.keyFor('alice', 'clerk');
  keys.carol = await jxc.keyFor('carol', 'clerk');
  keys.bob = await jxc.keyFor('bob', 'approver');
  keys.wang = await jxc.keyFor('wang', 'warehouse');
  keys.fay = await jxc.keyFor('fay', 'finance');
  keys.ann = await jxc.keyFor('ann', 'analyst');
  keys.aud = await jxc.keyFor('aud', 'auditor');
  keys.int = await jxc.keyFor('int', 'integration');
  await post('admin', '/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House' }).expect(201);
  await post('admin', '/api/suppliers', { id: 'sup-1', name: 'West Lake Tea Farm' }).expect(201);
});
afterAll(async () => {
  await jxc.close();
});

function post(who: string, path: string, body: unknown = {}, headers: Record<string, string> = {}) {
  return jxc.http.post(path).set({ ...jxc.as(keys[who]), ...headers }).send(body as object);
}

/** A product with `onHand` units in the main warehouse. */
async function product(onHand: number): Promise<string> {
  const sku = unique('SKU');
  await post('admin', '/api/products', { sku, name: `Product ${sku}`, price: 1000 }).expect(201);
  if (onHand > 0) await post('wang', '/api/stock/receipts', { sku, quantity: onHand }).expect(201);
  return sku;
}

/** What the stock position holds now, replayed from its stream in the store (nothing cached). */
async function stockOf(sku: string): Promise<{ onHand: number; reserved: number; available: number; incoming: number; min: number | null; max: number | null }> {
  const { state } = await new AggregateRepository(jxc.app.get<EventStore>(EVENT_STORE)).load(stockAggregate, stockStream('main', sku));
  return { onHand: state.onHand, reserved: state.reserved, available: state.onHand - state.reserved, incoming: state.incoming, min: state.min, max: state.max };
}

async function sale(sku: string, quantity = 2, who = 'alice', unitPrice = 1000) {
  const response = await post(who, '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity, unitPrice }] });
  expect(response.status).toBe(201);
  return response.body as { orderId: string; [field: string]: unknown };
}

async function purchase(sku: string, quantity = 10, unitPrice = 500) {
  const response = await post('alice', '/api/orders', { kind: 'purchase', partyId: 'sup-1', lines: [{ sku, quantity, unitPrice }] });
  expect(response.status).toBe(201);
  return response.body as { orderId: string; [field: string]: unknown };
}

describe('sales orders', () => {
  it('go placed -> processing -> shipped -> delivered, reserving then shipping exactly the ordered stock', async () => {
    const sku = await product(10);
    const placed = await sale(sku, 3);
    expect(placed).toMatchObject({ status: 'placed', kind: 'sale', total: 3000, paid: 0, ownerId: 'alice', cancellation: null, lines: [{ sku, quantity: 3, reserved: 3, shipped: 0 }], revision: 1 });
    expect(typeof placed.position).toBe('string');
    expect(await stockOf(sku)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });

    const processed = await post('wang', `/api/orders/${placed.orderId}/process`).expect(200);
    expect(processed.body.status).toBe('processing');
    expect(processed.headers.etag).toBe(`"${processed.body.revision}"`);
    const shipped = await post('wang', `/api/orders/${placed.orderId}/ship`, { carrier: 'SF', trackingNumber: 'SF1' }).expect(200);
    expect(shipped.body).toMatchObject({ status: 'shipped', lines: [{ reserved: 0, shipped: 3 }] });
    expect(await stockOf(sku)).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect((await post('wang', `/api/orders/${placed.orderId}/deliver`).expect(200)).body.status).toBe('delivered');
  });

  it('take payments up to the total and refuse more with overpayment', async () => {
    const sku = await product(5);
    const { orderId } = await sale(sku, 2);
    expect((await post('alice', `/api/orders/${orderId}/payments`, { amount: 1500, method: 'card' }).expect(200)).body.paid).toBe(1500);
    const over = await post('fay', `/api/orders/${orderId}/payments`, { amount: 501, method: 'card' });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('overpayment');
    expect((await post('fay', `/api/orders/${orderId}/payments`, { amount: 500, method: 'cash' }).expect(200)).body.paid).toBe(2000);
  });

  it('that cannot reserve every line end rejected with the short lines, holding nothing', async () => {
    const plenty = await product(10);
    const scarce = await product(1);
    const response = await post('alice', '/api/orders', {
      orderId: unique('short'),
      kind: 'sale',
      partyId: 'cust-1',
      lines: [
        { sku: plenty, quantity: 4, unitPrice: 100 },
        { sku: scarce, quantity: 2, unitPrice: 100 },
      ],
    });
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'insufficient_stock', details: { lines: [{ sku: scarce, requested: 2, available: 1 }] } });
    expect(await stockOf(plenty)).toMatchObject({ reserved: 0, available: 10 });
    expect(await stockOf(scarce)).toMatchObject({ reserved: 0, available: 1 });
  });

  it("take the product's current price for a sale line without unitPrice; a purchase line must name its price", async () => {
    const sku = await product(5);
    const sale = await post('alice', '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity: 2 }] });
    expect(sale.status).toBe(201);
    expect(sale.body).toMatchObject({ lines: [{ sku, quantity: 2, unitPrice: 1000 }], total: 2000 });
    const purchase = await post('alice', '/api/orders', { kind: 'purchase', partyId: 'sup-1', lines: [{ sku, quantity: 2 }] });
    expect(purchase.status).toBe(400);
    expect(purchase.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['lines[0].unitPrice']);
  });

  it('name unknown SKUs and parties, and every malformed field, with 400', async () => {
    const unknown = await post('alice', '/api/orders', { kind: 'sale', partyId: 'nobody', lines: [{ sku: 'NO-SUCH-SKU', quantity: 1, unitPrice: 1 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['partyId', 'lines[0].sku']);

    const malformed = await post('alice', '/api/orders', { kind: 'rental', partyId: 'cust-1', lines: [{ sku: 'X', quantity: -1, unitPrice: 1.5 }, { sku: 'Y', quantity: 0.5, unitPrice: 1 }] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['kind', 'lines[0].quantity', 'lines[0].unitPrice', 'lines[1].quantity']);

    for (const body of [{ kind: 'sale', partyId: 'cust-1', lines: [] }, { kind: 'sale', partyId: 'cust-1' }, { kind: 'sale', partyId: 'cust-1', lines: [{ sku: 'A', quantity: '2', unitPrice: 1 }] }]) {
      const response = await post('alice', '/api/orders', body);
      expect(response.status).toBe(400);
      expect(response.body.error.details.fields.length).toBeGreaterThan(0);
    }
  });

  it('refuse a stale If-Match with 412 revision_mismatch and accept the current one', async () => {
    const { orderId, revision } = await sale(await product(3), 1);
    const stale = await post('wang', `/api/orders/${orderId}/process`, {}, { 'If-Match': `"${Number(revision) - 1}"` });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('revision_mismatch');
    await post('wang', `/api/orders/${orderId}/process`, {}, { 'If-Match': `"${String(revision)}"` }).expect(200);
  });
});

describe('cancellation of a sale', () => {
  it('before shipment: releases every reservation, refunds everything paid, then cancels', async () => {
    const sku = await product(6);
    const { orderId } = await sale(sku, 4);
    await post('alice', `/api/orders/${orderId}/payments`, { amount: 2500, method: 'card' }).expect(200);
    const requested = await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'found it cheaper', initiatedBy: 'customer' }).expect(200);
    expect(requested.body.cancellation).toMatchObject({ state: 'requested', reason: 'found it cheaper', initiatedBy: 'customer', requestedBy: 'alice' });

    const approved = await post('bob', `/api/orders/${orderId}/cancellation/approve`, { note: 'ok', goodwillCoupon: { code: 'SORRY-5', amount: 500 } }).expect(200);
    expect(approved.body).toMatchObject({ status: 'cancelled', paid: 2500, refunded: 2500, lines: [{ reserved: 0 }], cancellation: { state: 'approved', decidedBy: 'bob', decisionNote: 'ok', outcome: 'release_and_refund' } });
    expect(await stockOf(sku)).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
  });

  it('before shipment with nothing paid: no refund, still cancelled', async () => {
    const { orderId } = await sale(await product(2), 1);
    await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'duplicate order', initiatedBy: 'company' }).expect(200);
    const approved = await post('bob', `/api/orders/${orderId}/cancellation/approve`, {}).expect(200);
    expect(approved.body).toMatchObject({ status: 'cancelled', paid: 0, refunded: 0 });
  });

  it('after shipment: returning until every unit is back, each refunded as it comes back, resellable units restocked, then cancelled', async () => {
    const sku = await product(10);
    const { orderId } = await sale(sku, 3);
    await post('alice', `/api/orders/${orderId}/payments`, { amount: 3000, method: 'card' }).expect(200);
    await post('wang', `/api/orders/${orderId}/ship`, {}).expect(200);
    await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'arrived broken', initiatedBy: 'customer' }).expect(200);
    expect((await post('bob', `/api/orders/${orderId}/cancellation/approve`, { refundMethod: 'bank_transfer' }).expect(200)).body).toMatchObject({ status: 'returning', refunded: 0 });

    // Each unit is refunded at its line price as soon as it is back (API.md "Orders in parts").
    const partly = await post('wang', `/api/orders/${orderId}/returns/receive`, { lines: [{ sku, quantity: 1, condition: 'damaged' }] }).expect(200);
    expect(partly.body).toMatchObject({ status: 'returning', refunded: 1000 });
    const tooMany = await post('wang', `/api/orders/${orderId}/returns/receive`, { lines: [{ sku, quantity: 3, condition: 'resellable' }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.code).toBe('exceeds_shipped');

    const done = await post('wang', `/api/orders/${orderId}/returns/receive`, { lines: [{ sku, quantity: 2, condition: 'resellable' }] }).expect(200);
    expect(done.body).toMatchObject({ status: 'cancelled', paid: 3000, refunded: 3000, lines: [{ returned: 3, returnedResellable: 2, returnedDamaged: 1 }] });
    // 10 - 3 shipped + 2 resellable back; the damaged one stays out.
    expect(await stockOf(sku)).toMatchObject({ onHand: 9, reserved: 0 });
  });

  it('while pending, refuses fulfilment and a second request; after rejection a new request may follow', async () => {
    const { orderId } = await sale(await product(3), 1);
    await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'wrong size', initiatedBy: 'customer' }).expect(200);
    for (const action of ['process', 'ship']) {
      const refused = await post('wang', `/api/orders/${orderId}/${action}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('cancellation_pending');
    }
    const second = await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'again', initiatedBy: 'customer' });
    expect(second.status).toBe(409);

    expect((await post('bob', `/api/orders/${orderId}/cancellation/reject`, {})).status).toBe(400);
    const rejected = await post('bob', `/api/orders/${orderId}/cancellation/reject`, { reason: 'already packed' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'placed', cancellation: { state: 'rejected', decidedBy: 'bob' } });
    await post('wang', `/api/orders/${orderId}/process`).expect(200);
    expect((await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'changed mind after all', initiatedBy: 'customer' }).expect(200)).body.cancellation.state).toBe('requested');
  });

  it('can be withdrawn by the requester only', async () => {
    const { orderId } = await sale(await product(3), 1, 'int');
    await post('int', `/api/orders/${orderId}/cancellation`, { reason: 'customer called', initiatedBy: 'customer' }).expect(200);
    const byAdmin = await post('admin', `/api/orders/${orderId}/cancellation/withdraw`);
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error.code).toBe('forbidden');
    expect((await post('int', `/api/orders/${orderId}/cancellation/withdraw`).expect(200)).body).toMatchObject({ status: 'placed', cancellation: { state: 'withdrawn' } });
  });

  it('refuses self-approval, even by an admin who holds every role', async () => {
    const { orderId } = await sale(await product(3), 1, 'admin');
    await post('admin', `/api/orders/${orderId}/cancellation`, { reason: 'test order', initiatedBy: 'company' }).expect(200);
    const self = await post('admin', `/api/orders/${orderId}/cancellation/approve`, {});
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('self_approval');
  });

  it('leaves cancelled orders refusing everything', async () => {
    const { orderId } = await sale(await product(2), 1);
    await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'no longer needed', initiatedBy: 'customer' }).expect(200);
    await post('bob', `/api/orders/${orderId}/cancellation/approve`, {}).expect(200);
    expect((await post('wang', `/api/orders/${orderId}/process`)).status).toBe(409);
    expect((await post('alice', `/api/orders/${orderId}/payments`, { amount: 1, method: 'card' })).status).toBe(409);
    expect((await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'again', initiatedBy: 'customer' })).status).toBe(409);
  });
});

describe('purchase orders', () => {
  it('expect incoming stock and commit funds, then receive in parts up to what was ordered', async () => {
    const sku = await product(0);
    const placed = await purchase(sku, 10, 500);
    expect(placed).toMatchObject({ kind: 'purchase', status: 'placed', total: 5000, funds: { committed: 5000 } });
    expect(await stockOf(sku)).toMatchObject({ onHand: 0, incoming: 10 });

    expect((await post('wang', `/api/orders/${placed.orderId}/receive`, { lines: [{ sku, quantity: 4 }] }).expect(200)).body).toMatchObject({ status: 'partially_received', lines: [{ received: 4 }] });
    const over = await post('wang', `/api/orders/${placed.orderId}/receive`, { lines: [{ sku, quantity: 7 }] });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('exceeds_ordered');
    expect((await post('wang', `/api/orders/${placed.orderId}/receive`, { lines: [{ sku, quantity: 6 }] }).expect(200)).body.status).toBe('received');
    expect(await stockOf(sku)).toMatchObject({ onHand: 10, incoming: 0 });

    await post('alice', `/api/orders/${placed.orderId}/cancellation`, { reason: 'too late', initiatedBy: 'company' }).then((response) => {
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('not_cancellable');
    });
  });

  it('cancelled with nothing received: incoming released, funds released, deposit due back, penalty recorded', async () => {
    const sku = await product(0);
    const { orderId } = await purchase(sku, 8, 1000);
    expect((await post('fay', `/api/orders/${orderId}/payments`, { amount: 2000, method: 'bank_transfer' }).expect(200)).body.paid).toBe(2000);
    await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'supplier cannot deliver', initiatedBy: 'supplier' }).expect(200);
    const approved = await post('bob', `/api/orders/${orderId}/cancellation/approve`, { penalty: { amount: 300, payer: 'supplier' } }).expect(200);
    expect(approved.body).toMatchObject({ status: 'cancelled', funds: { committed: 8000, released: 8000, supplierRefundDue: 2000, penalty: { amount: 300, payer: 'supplier' } } });
    expect(await stockOf(sku)).toMatchObject({ incoming: 0 });
    const refunded = await post('fay', `/api/orders/${orderId}/supplier-refunds`, { amount: 2000, method: 'bank_transfer' }).expect(200);
    expect(refunded.body).toMatchObject({ refunded: 2000, funds: { supplierRefundReceived: 2000 } });
  });

  it('cancelled when partly received: only the remainder is cancelled, and the order is closed', async () => {
    const sku = await product(0);
    const { orderId } = await purchase(sku, 10, 100);
    await post('wang', `/api/orders/${orderId}/receive`, { lines: [{ sku, quantity: 3 }] }).expect(200);
    await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'rest not needed', initiatedBy: 'company' }).expect(200);
    const closed = await post('bob', `/api/orders/${orderId}/cancellation/approve`, {}).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', funds: { committed: 1000, released: 700 } });
    expect(await stockOf(sku)).toMatchObject({ onHand: 3, incoming: 0 });
  });
});

describe('stock commands', () => {
  it('record a count as a variance and set thresholds that raise alerts', async () => {
    const sku = await product(10);
    const counted = await post('wang', '/api/stock/counts', { sku, countedQuantity: 8, reason: 'monthly stocktake' }).expect(201);
    expect(counted.body).toMatchObject({ variance: -2, onHand: 8 });
    const thresholds = await jxc.http.put(`/api/stock/${sku}/thresholds`).set(jxc.as(keys.wang)).send({ min: 9, max: 100 }).expect(200);
    expect(thresholds.body).toMatchObject({ min: 9, max: 100, alert: 'low' });
    expect((await jxc.http.put(`/api/stock/${sku}/thresholds`).set(jxc.as(keys.wang)).send({ min: 1 })).status).toBe(400);
  });

  it('gives a product registered with thresholds those thresholds in the main warehouse', async () => {
    const sku = unique('THR');
    await post('admin', '/api/products', { sku, name: 'with thresholds', price: 1, minStock: 2, maxStock: 50 }).expect(201);
    expect(await stockOf(sku)).toMatchObject({ onHand: 0, min: 2, max: 50 });
    const level = (await post('wang', '/api/stock/receipts', { sku, quantity: 1 }).expect(201)).body;
    expect(level).toMatchObject({ onHand: 1, min: 2, max: 50, alert: 'low' });
  });
});

describe('roles', () => {
  it.each([
    ['a clerk processing', 'alice', (id: string) => `/api/orders/${id}/process`],
    ['a clerk approving', 'alice', (id: string) => `/api/orders/${id}/cancellation/approve`],
    ['a warehouse user requesting a cancellation', 'wang', (id: string) => `/api/orders/${id}/cancellation`],
    ['an analyst paying', 'ann', (id: string) => `/api/orders/${id}/payments`],
    ['an auditor shipping', 'aud', (id: string) => `/api/orders/${id}/ship`],
    ['an approver receiving returns', 'bob', (id: string) => `/api/orders/${id}/returns/receive`],
  ])('%s is 403, whatever the order (even one that does not exist)', async (_what, who, path) => {
    for (const id of ['no-such-order', 'another-missing-one']) {
      const response = await post(who, path(id), {});
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
  });

  it.each([
    ['warehouse places orders', 'wang', '/api/orders'],
    ['an analyst registers products', 'ann', '/api/products'],
    ['an auditor receives stock', 'aud', '/api/stock/receipts'],
    ['a finance user counts stock', 'fay', '/api/stock/counts'],
  ])('403 when %s', async (_what, who, path) => {
    expect((await post(who, path, {})).status).toBe(403);
  });

  it("a clerk cannot act on another clerk's order: it answers as if the order did not exist", async () => {
    const { orderId } = await sale(await product(2), 1, 'alice');
    const response = await post('carol', `/api/orders/${orderId}/payments`, { amount: 100, method: 'card' });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('under concurrency', () => {
  it('never oversells: 200 concurrent 1-unit placements against 120 units place exactly 120', async () => {
    const sku = await product(120);
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => post('int', '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity: 1, unitPrice: 100 }] })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(120);
    expect(statuses.filter((s) => s === 409)).toHaveLength(80);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.error.code === 'insufficient_stock')).toBe(true);

    // The stock stream, replayed from scratch, says the same.
    const replayed = await new AggregateRepository(jxc.app.get<EventStore>(EVENT_STORE)).load(stockAggregate, stockStream('main', sku));
    expect(replayed.state).toMatchObject({ onHand: 120, reserved: 120 });
  });

  it('the same POST retried 20 times at once with one Idempotency-Key appends once', async () => {
    const sku = await product(50);
    const store = jxc.app.get<EventStore>(EVENT_STORE);
    const before = await store.headPosition();
    const body = { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity: 2, unitPrice: 100 }] };
    const responses = await Promise.all(Array.from({ length: 20 }, () => post('alice', '/api/orders', body, { 'Idempotency-Key': `retry-${sku}` })));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => r.body.orderId)).size).toBe(1);

    const appended: string[] = [];
    for await (const event of store.readAll({ fromPosition: before })) appended.push(event.type);
    expect(appended.filter((type) => type === 'OrderPlaced')).toHaveLength(1);
    expect(appended.filter((type) => type === 'StockReserved')).toHaveLength(1);
    expect(await stockOf(sku)).toMatchObject({ reserved: 2 });
  });
});
