import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { orderStream, stockStream } from '../../domain/index.js';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { orderAggregate, stockAggregate } from '../../src/platform/write-model/aggregates.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

/*
 * API.md "Orders in parts" over HTTP, on the real application (real SQLite on disk): partial shipments and
 * delivery per shipment, partial cancellation, amendments, holds, customer returns, purchase returns; each
 * route with its roles (403 before any state is read) and its refusals. Every response is also checked
 * against the served OpenAPI document when the app closes.
 */

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
  keys.aud = await jxc.keyFor('aud', 'auditor');
  await post('admin', '/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House' }).expect(201);
  await post('admin', '/api/suppliers', { id: 'sup-1', name: 'West Lake Tea Farm' }).expect(201);
});
afterAll(async () => {
  await jxc.close();
});

type Body = Record<string, unknown>;
interface Line { sku: string; quantity: number; unitPrice?: number; reserved?: number; cancelled?: number; shipped?: number; delivered?: number; returned?: number; returnPending?: number }
interface OrderBody { orderId: string; status: string; lines: Line[]; total: number; paid: number; refunded: number; revision: number; position: string; [field: string]: unknown }

function post(who: string, path: string, body: object = {}, headers: Record<string, string> = {}) {
  return jxc.http.post(path).set({ ...jxc.as(keys[who]), ...headers }).send(body);
}

/** POSTs and expects 200: the order as the write side answers it. */
async function ok(who: string, path: string, body: object = {}, headers: Record<string, string> = {}): Promise<OrderBody> {
  const response = await post(who, path, body, headers);
  if (response.status !== 200) throw new Error(`${who} POST ${path} ${JSON.stringify(body)}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as OrderBody;
}

/** POSTs and expects the error `status` with `code`: its `details`. */
async function refused(status: number, code: string, who: string, path: string, body: object = {}): Promise<Body> {
  const response = await post(who, path, body);
  expect({ path, status: response.status, code: response.body?.error?.code }).toEqual({ path, status, code });
  return response.body.error.details as Body;
}

/** The fields named by a 400 validation_failed. */
async function badFields(who: string, path: string, body: object): Promise<string[]> {
  const details = await refused(400, 'validation_failed', who, path, body);
  return (details.fields as { field: string }[]).map((entry) => entry.field);
}

/** A product at `price` with `onHand` units in the main warehouse. */
async function product(onHand: number, price = 1000): Promise<string> {
  const sku = unique('PART');
  await post('admin', '/api/products', { sku, name: `Product ${sku}`, price }).expect(201);
  if (onHand > 0) await post('wang', '/api/stock/receipts', { sku, quantity: onHand }).expect(201);
  return sku;
}

async function sale(lines: { sku: string; quantity: number; unitPrice?: number }[], who = 'alice'): Promise<string> {
  const response = await post(who, '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: lines.map((line) => ({ unitPrice: 1000, ...line })) });
  if (response.status !== 201) throw new Error(`placement: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.orderId as string;
}

async function paidSale(sku: string, quantity: number, unitPrice = 1000): Promise<string> {
  const orderId = await sale([{ sku, quantity, unitPrice }]);
  await ok('alice', `/api/orders/${orderId}/payments`, { amount: quantity * unitPrice, method: 'card' });
  return orderId;
}

async function receivedPurchase(sku: string, quantity: number, unitPrice: number): Promise<string> {
  const placed = await post('alice', '/api/orders', { kind: 'purchase', partyId: 'sup-1', lines: [{ sku, quantity, unitPrice }] });
  expect(placed.status).toBe(201);
  const orderId = placed.body.orderId as string;
  await ok('wang', `/api/orders/${orderId}/receive`, { lines: [{ sku, quantity }] });
  return orderId;
}

const repository = () => new AggregateRepository(jxc.app.get<EventStore>(EVENT_STORE));

/** The stock position replayed from its stream in the store (nothing cached). */
async function stockOf(sku: string) {
  const { state } = await repository().load(stockAggregate, stockStream('main', sku));
  return { onHand: state.onHand, reserved: state.reserved, available: state.onHand - state.reserved };
}

/** The order replayed from its stream in the store. */
async function orderOf(orderId: string) {
  const { state, revision } = await repository().load(orderAggregate, orderStream(orderId));
  return { order: state!, revision };
}

describe('partial shipments', () => {
  it('ship part -> partially_shipped, ship the rest -> shipped, deliver per shipment -> delivered; stock leaves per shipment', async () => {
    const tea = await product(10);
    const cup = await product(5, 300);
    const orderId = await sale([{ sku: tea, quantity: 5 }, { sku: cup, quantity: 2, unitPrice: 300 }]);

    const first = await ok('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 2 }], carrier: 'SF', trackingNumber: 'SF1' });
    expect(first).toMatchObject({
      shipmentId: 'S1',
      status: 'partially_shipped',
      lines: [{ sku: tea, shipped: 2, reserved: 3, delivered: 0 }, { sku: cup, shipped: 0, reserved: 2 }],
      shipments: [{ shipmentId: 'S1', lines: [{ sku: tea, quantity: 2 }], carrier: 'SF', trackingNumber: 'SF1', deliveredAt: null }],
    });
    expect(await stockOf(tea)).toEqual({ onHand: 8, reserved: 3, available: 5 });

    const rest = await ok('wang', `/api/orders/${orderId}/ship`, {});
    expect(rest).toMatchObject({ shipmentId: 'S2', status: 'shipped', lines: [{ shipped: 5, reserved: 0 }, { shipped: 2, reserved: 0 }] });
    expect(rest.shipments).toEqual([
      expect.objectContaining({ shipmentId: 'S1' }),
      expect.objectContaining({ shipmentId: 'S2', lines: [{ sku: tea, quantity: 3 }, { sku: cup, quantity: 2 }], carrier: null }),
    ]);
    expect(await stockOf(tea)).toEqual({ onHand: 5, reserved: 0, available: 5 });
    expect(await stockOf(cup)).toEqual({ onHand: 3, reserved: 0, available: 3 });

    const one = await ok('wang', `/api/orders/${orderId}/deliver`, { shipmentId: 'S1' });
    expect(one).toMatchObject({ status: 'shipped', lines: [{ delivered: 2 }, { delivered: 0 }] });
    expect((one.shipments as { deliveredAt: string | null }[]).map((shipment) => shipment.deliveredAt === null)).toEqual([false, true]);
    const all = await ok('wang', `/api/orders/${orderId}/deliver`, { shipmentId: 'S2' });
    expect(all).toMatchObject({ status: 'delivered', lines: [{ delivered: 5 }, { delivered: 2 }] });
    // Delivering what is delivered changes nothing.
    expect((await ok('wang', `/api/orders/${orderId}/deliver`)).revision).toBe(all.revision);

    // The orders view shows the same shipments.
    const view = await jxc.http.get(`/api/orders/${orderId}?minPosition=${all.position}`).set(jxc.as(keys.aud)).expect(200);
    expect(view.body).toMatchObject({ status: 'delivered', shipments: [{ shipmentId: 'S1' }, { shipmentId: 'S2' }], lines: [{ shipped: 5, delivered: 5 }, { shipped: 2, delivered: 2 }] });
  });

  it('refuses more than is left to ship (exceeds_ordered), unknown skus and shipments (400 naming the field), and a shipment with nothing left', async () => {
    const tea = await product(10);
    const orderId = await sale([{ sku: tea, quantity: 3 }]);
    await ok('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 1 }] });

    const over = await refused(409, 'exceeds_ordered', 'wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 3 }] });
    expect(over).toMatchObject({ sku: tea, shipped: 1, requested: 3 });
    expect(await badFields('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: 'NOT-ON-ORDER', quantity: 1 }] })).toEqual(['lines[0].sku']);
    expect(await badFields('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 0 }] })).toEqual(['lines[0].quantity']);
    expect(await badFields('wang', `/api/orders/${orderId}/ship`, { lines: [] })).toEqual(['lines']);
    expect(await badFields('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 1, colour: 'red' }] })).toEqual(['lines[0].colour']);
    expect(await badFields('wang', `/api/orders/${orderId}/deliver`, { shipmentId: 'S9' })).toEqual(['shipmentId']);

    await ok('wang', `/api/orders/${orderId}/ship`);
    await refused(409, 'invalid_transition', 'wang', `/api/orders/${orderId}/ship`);
    expect((await stockOf(tea)).onHand).toBe(7);
  });

  it('a keyed ship retried answers the same shipment and ships once', async () => {
    const tea = await product(4);
    const orderId = await sale([{ sku: tea, quantity: 4 }]);
    const body = { lines: [{ sku: tea, quantity: 1 }] };
    const first = await ok('wang', `/api/orders/${orderId}/ship`, body, { 'Idempotency-Key': `ship-${orderId}` });
    const again = await ok('wang', `/api/orders/${orderId}/ship`, body, { 'Idempotency-Key': `ship-${orderId}` });
    expect(again).toMatchObject({ shipmentId: first.shipmentId, revision: first.revision });
    expect((await orderOf(orderId)).order.shipments).toHaveLength(1);
    expect(await stockOf(tea)).toMatchObject({ onHand: 3, reserved: 3 });
  });
});

describe('partial cancellation', () => {
  it('of the remainder of a partly shipped paid order refunds exactly the cancelled value; the order is shipped, then closed on delivery', async () => {
    const tea = await product(10);
    const orderId = await paidSale(tea, 4, 1000);
    await ok('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 1 }] });

    const requested = await ok('alice', `/api/orders/${orderId}/cancellation`, { reason: 'rest not needed', initiatedBy: 'customer', scope: 'remainder' });
    expect(requested.cancellation).toMatchObject({ state: 'requested', scope: 'remainder', lines: [] });
    await refused(409, 'cancellation_pending', 'wang', `/api/orders/${orderId}/ship`);

    const approved = await ok('bob', `/api/orders/${orderId}/cancellation/approve`, {});
    expect(approved).toMatchObject({
      status: 'shipped',
      paid: 4000,
      refunded: 3000,
      lines: [{ quantity: 4, cancelled: 3, shipped: 1, reserved: 0 }],
      cancellation: { state: 'approved', outcome: 'release_and_refund', cancelledLines: [{ sku: tea, quantity: 3 }], returnLines: [], returnId: null },
    });
    expect(await stockOf(tea)).toEqual({ onHand: 9, reserved: 0, available: 9 });

    const delivered = await ok('wang', `/api/orders/${orderId}/deliver`);
    expect(delivered).toMatchObject({ status: 'closed', refunded: 3000 });
    // Closed, and nothing is owed: a closed sale takes only what the customer still owes.
    await refused(409, 'overpayment', 'alice', `/api/orders/${orderId}/payments`, { amount: 1, method: 'card' });
  });

  it('of lines with a shipped unit cancels the unshipped units, opens a return for the shipped one, and refunds it at the line price once it is back', async () => {
    const tea = await product(10);
    const orderId = await paidSale(tea, 3, 1200);
    await ok('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 2 }] });

    await refused(409, 'exceeds_ordered', 'alice', `/api/orders/${orderId}/cancellation`, { reason: 'too many', initiatedBy: 'customer', lines: [{ sku: tea, quantity: 4 }] });
    await ok('alice', `/api/orders/${orderId}/cancellation`, { reason: 'wants one less... two less', initiatedBy: 'customer', lines: [{ sku: tea, quantity: 2 }] });
    const approved = await ok('bob', `/api/orders/${orderId}/cancellation/approve`, {});
    expect(approved).toMatchObject({
      paid: 3600,
      refunded: 1200,
      lines: [{ quantity: 3, cancelled: 1, shipped: 2, returnPending: 1, returned: 0, reserved: 0 }],
      cancellation: { state: 'approved', scope: 'lines', outcome: 'return_and_refund', cancelledLines: [{ sku: tea, quantity: 1 }], returnLines: [{ sku: tea, quantity: 1 }], returnId: 'R1' },
      returns: [{ returnId: 'R1', origin: 'cancellation', lines: [{ sku: tea, quantity: 1, receivedResellable: 0, receivedDamaged: 0 }] }],
    });
    expect(approved.status).not.toBe('returning');

    const back = await ok('wang', `/api/orders/${orderId}/returns/receive`, { returnId: 'R1', lines: [{ sku: tea, quantity: 1, condition: 'resellable' }] });
    expect(back).toMatchObject({ refunded: 2400, lines: [{ returned: 1, returnPending: 0 }] });
    // 10 - 2 shipped + 1 back.
    expect(await stockOf(tea)).toEqual({ onHand: 9, reserved: 0, available: 9 });
  });

  it('refuses lines together with scope, lines on a purchase (400), and a remainder when nothing is unshipped (invalid_transition)', async () => {
    const tea = await product(10);
    const orderId = await sale([{ sku: tea, quantity: 2 }]);
    const request = { reason: 'x', initiatedBy: 'customer' };
    expect(await badFields('alice', `/api/orders/${orderId}/cancellation`, { ...request, lines: [{ sku: tea, quantity: 1 }], scope: 'remainder' })).toContain('scope');
    expect(await badFields('alice', `/api/orders/${orderId}/cancellation`, { ...request, scope: 'everything' })).toEqual(['scope']);
    expect(await badFields('alice', `/api/orders/${orderId}/cancellation`, { ...request, lines: [{ sku: 'NOT-ON-ORDER', quantity: 1 }] })).toEqual(['lines[0].sku']);
    await ok('wang', `/api/orders/${orderId}/ship`);
    await refused(409, 'invalid_transition', 'alice', `/api/orders/${orderId}/cancellation`, { ...request, scope: 'remainder' });

    const placed = await post('alice', '/api/orders', { kind: 'purchase', partyId: 'sup-1', lines: [{ sku: tea, quantity: 5, unitPrice: 100 }] });
    expect(await badFields('alice', `/api/orders/${placed.body.orderId}/cancellation`, { ...request, initiatedBy: 'company', lines: [{ sku: tea, quantity: 1 }] })).toEqual(['lines']);
  });
});

describe('customer returns', () => {
  it('after delivery: opened without cancelling the order, refunded per unit at the line price as each comes back', async () => {
    const tea = await product(10);
    const orderId = await paidSale(tea, 3, 1500);
    await ok('wang', `/api/orders/${orderId}/ship`);
    await ok('wang', `/api/orders/${orderId}/deliver`);

    const opened = await ok('alice', `/api/orders/${orderId}/returns`, { lines: [{ sku: tea, quantity: 2 }], reason: 'wrong colour' });
    expect(opened).toMatchObject({
      returnId: 'R1',
      status: 'delivered',
      lines: [{ returnPending: 2, returned: 0 }],
      returns: [{ returnId: 'R1', origin: 'customer', reason: 'wrong colour', requestedBy: 'alice', closedAt: null }],
    });
    const over = await refused(409, 'exceeds_shipped', 'alice', `/api/orders/${orderId}/returns`, { lines: [{ sku: tea, quantity: 2 }], reason: 'more' });
    expect(over).toMatchObject({ sku: tea, delivered: 3, returnPending: 2, requested: 2 });
    expect(await badFields('wang', `/api/orders/${orderId}/returns/receive`, { returnId: 'R7', lines: [{ sku: tea, quantity: 1, condition: 'resellable' }] })).toEqual(['returnId']);
    await refused(409, 'exceeds_shipped', 'wang', `/api/orders/${orderId}/returns/receive`, { returnId: 'R1', lines: [{ sku: tea, quantity: 3, condition: 'resellable' }] });

    const first = await ok('wang', `/api/orders/${orderId}/returns/receive`, { returnId: 'R1', lines: [{ sku: tea, quantity: 1, condition: 'resellable' }] });
    expect(first).toMatchObject({ status: 'delivered', paid: 4500, refunded: 1500, lines: [{ returned: 1, returnPending: 1 }] });
    const second = await ok('wang', `/api/orders/${orderId}/returns/receive`, { lines: [{ sku: tea, quantity: 1, condition: 'damaged' }] });
    expect(second).toMatchObject({ status: 'delivered', refunded: 3000, lines: [{ returned: 2, returnPending: 0, returnedResellable: 1, returnedDamaged: 1 }] });
    // 10 - 3 shipped + 1 resellable back; the damaged one stays out.
    expect((await stockOf(tea)).onHand).toBe(8);
    await refused(409, 'invalid_transition', 'wang', `/api/orders/${orderId}/returns/receive`, { lines: [{ sku: tea, quantity: 1, condition: 'resellable' }] });
    await refused(409, 'invalid_transition', 'wang', `/api/orders/${orderId}/returns/close`, { reason: 'nothing open' });
  });

  it('are refused before delivery (exceeds_shipped): only delivered units go back', async () => {
    const tea = await product(5);
    const orderId = await sale([{ sku: tea, quantity: 2 }]);
    await ok('wang', `/api/orders/${orderId}/ship`);
    await refused(409, 'exceeds_shipped', 'alice', `/api/orders/${orderId}/returns`, { lines: [{ sku: tea, quantity: 1 }], reason: 'not delivered yet' });
    expect(await badFields('alice', `/api/orders/${orderId}/returns`, { lines: [{ sku: tea, quantity: 1 }] })).toEqual(['reason']);
  });

  it('returns/close on a returning order stops waiting: what came back is refunded and the order ends closed', async () => {
    const tea = await product(10);
    const orderId = await paidSale(tea, 2, 1000);
    await ok('wang', `/api/orders/${orderId}/ship`);
    await ok('alice', `/api/orders/${orderId}/cancellation`, { reason: 'arrived broken', initiatedBy: 'customer' });
    expect(await ok('bob', `/api/orders/${orderId}/cancellation/approve`, {})).toMatchObject({ status: 'returning', lines: [{ returnPending: 2 }], refunded: 0 });
    expect(await ok('wang', `/api/orders/${orderId}/returns/receive`, { lines: [{ sku: tea, quantity: 1, condition: 'resellable' }] })).toMatchObject({ status: 'returning', refunded: 1000 });

    const closed = await ok('wang', `/api/orders/${orderId}/returns/close`, { reason: 'customer kept the other one' });
    expect(closed).toMatchObject({ status: 'closed', paid: 2000, refunded: 1000, lines: [{ returned: 1, returnPending: 0 }] });
    expect((closed.returns as { closedBy: string | null; closeReason: string | null }[])[0]).toMatchObject({ closedBy: 'wang', closeReason: 'customer kept the other one' });
    await refused(409, 'invalid_transition', 'wang', `/api/orders/${orderId}/returns/close`, { reason: 'again' });
    expect((await stockOf(tea)).onHand).toBe(9);
  });
});

describe('amendments', () => {
  it('up reserves more, down releases and refunds what was paid above the new total; each is recorded with who, why, before and after', async () => {
    const tea = await product(10);
    const orderId = await paidSale(tea, 2, 1000);

    const up = await ok('alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 5 }], reason: 'customer wants more' });
    expect(up).toMatchObject({ total: 5000, lines: [{ quantity: 5, unitPrice: 1000, reserved: 5 }], refunded: 0 });
    expect(up.amendments).toEqual([
      expect.objectContaining({ amendmentNo: 1, state: 'applied', reason: 'customer wants more', amendedBy: 'alice', before: [{ sku: tea, quantity: 2, unitPrice: 1000 }], after: [{ sku: tea, quantity: 5, unitPrice: 1000 }] }),
    ]);
    expect(await stockOf(tea)).toEqual({ onHand: 10, reserved: 5, available: 5 });

    const down = await ok('alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 1 }], reason: 'customer wants less' });
    expect(down).toMatchObject({ total: 1000, paid: 2000, refunded: 1000, lines: [{ quantity: 1, reserved: 1 }] });
    expect(await stockOf(tea)).toEqual({ onHand: 10, reserved: 1, available: 9 });
  });

  it('an increase stock cannot cover is 409 insufficient_stock with the short lines, and nothing changes', async () => {
    const tea = await product(3);
    const orderId = await sale([{ sku: tea, quantity: 2 }]);
    const short = await refused(409, 'insufficient_stock', 'alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 6 }], reason: 'big party' });
    expect(short.lines).toEqual([expect.objectContaining({ sku: tea })]);
    const { order } = await orderOf(orderId);
    expect(order.lines).toEqual([expect.objectContaining({ sku: tea, quantity: 2 })]);
    expect(order.amendments).toEqual([expect.objectContaining({ amendmentNo: 1, state: 'refused' })]);
    expect(await stockOf(tea)).toEqual({ onHand: 3, reserved: 2, available: 1 });
    // The order goes on: it still ships what it has.
    expect((await ok('wang', `/api/orders/${orderId}/ship`)).lines).toEqual([expect.objectContaining({ shipped: 2 })]);
  });

  it('fills prices (the line\'s, or the product\'s for a new sku), removes lines left out, names unknown skus, and refuses going below what shipped', async () => {
    const tea = await product(10, 1000);
    const cup = await product(10, 250);
    const pot = await product(10, 4000);
    const orderId = await sale([{ sku: tea, quantity: 4, unitPrice: 900 }, { sku: pot, quantity: 1, unitPrice: 4000 }]);

    expect(await badFields('alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 4 }, { sku: 'NO-SUCH-SKU', quantity: 1 }], reason: 'add' })).toEqual(['lines[1].sku']);
    expect(await badFields('alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 4 }] })).toEqual(['reason']);
    expect(await badFields('alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: -1 }], reason: 'x' })).toEqual(['lines[0].quantity']);

    const amended = await ok('alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 4 }, { sku: cup, quantity: 2 }], reason: 'cups instead of the pot' });
    expect(amended.lines).toEqual([
      expect.objectContaining({ sku: tea, quantity: 4, unitPrice: 900 }),
      expect.objectContaining({ sku: pot, quantity: 0, reserved: 0 }),
      expect.objectContaining({ sku: cup, quantity: 2, unitPrice: 250, reserved: 2 }),
    ]);
    expect(amended.total).toBe(4 * 900 + 2 * 250);
    expect((await stockOf(pot)).reserved).toBe(0);

    await ok('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 3 }] });
    const below = await refused(409, 'below_shipped', 'alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 2 }, { sku: cup, quantity: 2 }], reason: 'fewer' });
    expect(below).toMatchObject({ sku: tea, shipped: 3, requested: 2 });
  });

  it('by the clerk who placed the order or an admin only, never while a cancellation is pending', async () => {
    const tea = await product(10);
    const orderId = await sale([{ sku: tea, quantity: 2 }]);
    const amend = { lines: [{ sku: tea, quantity: 3 }], reason: 'one more' };
    await refused(404, 'not_found', 'carol', `/api/orders/${orderId}/amend`, amend);
    expect((await ok('admin', `/api/orders/${orderId}/amend`, amend)).lines[0]).toMatchObject({ quantity: 3 });
    await ok('alice', `/api/orders/${orderId}/cancellation`, { reason: 'maybe not', initiatedBy: 'customer' });
    await refused(409, 'cancellation_pending', 'alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 4 }], reason: 'two more' });
  });
});

describe('holds', () => {
  it('block process, ship and deliver with on_hold while payments and amendments go on; reservations are kept; release lets fulfilment continue', async () => {
    const tea = await product(10);
    const orderId = await sale([{ sku: tea, quantity: 4 }]);
    await ok('wang', `/api/orders/${orderId}/ship`, { lines: [{ sku: tea, quantity: 1 }] });

    const held = await ok('bob', `/api/orders/${orderId}/hold`, { reason: 'address being verified' });
    expect(held.onHold).toMatchObject({ reason: 'address being verified', by: 'bob' });
    await refused(409, 'invalid_transition', 'wang', `/api/orders/${orderId}/hold`, { reason: 'again' });
    for (const [action, body] of [['process', {}], ['ship', {}], ['deliver', {}]] as const) {
      const details = await refused(409, 'on_hold', 'wang', `/api/orders/${orderId}/${action}`, body);
      expect(details).toMatchObject({ reason: 'address being verified' });
    }
    expect(await stockOf(tea)).toMatchObject({ reserved: 3 });
    expect((await ok('alice', `/api/orders/${orderId}/payments`, { amount: 1000, method: 'card' })).paid).toBe(1000);
    expect((await ok('alice', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 5 }], reason: 'one more' })).lines[0]).toMatchObject({ quantity: 5, reserved: 4 });

    const released = await ok('wang', `/api/orders/${orderId}/hold/release`, { note: 'address confirmed' });
    expect(released.onHold).toBeNull();
    await refused(409, 'invalid_transition', 'bob', `/api/orders/${orderId}/hold/release`, {});
    expect(await ok('wang', `/api/orders/${orderId}/ship`)).toMatchObject({ status: 'shipped', lines: [{ shipped: 5 }] });
  });

  it('block receiving goods on a purchase', async () => {
    const tea = await product(0);
    const placed = await post('alice', '/api/orders', { kind: 'purchase', partyId: 'sup-1', lines: [{ sku: tea, quantity: 5, unitPrice: 100 }] });
    const orderId = placed.body.orderId as string;
    await ok('wang', `/api/orders/${orderId}/hold`, { reason: 'supplier audit' });
    await refused(409, 'on_hold', 'wang', `/api/orders/${orderId}/receive`, { lines: [{ sku: tea, quantity: 1 }] });
    expect(await badFields('bob', `/api/orders/${orderId}/hold`, {})).toEqual(['reason']);
  });
});

describe('purchase returns', () => {
  it('lower on hand and raise what the supplier owes, at the purchase price', async () => {
    const tea = await product(0);
    const orderId = await receivedPurchase(tea, 10, 500);
    const returned = await ok('wang', `/api/orders/${orderId}/purchase-returns`, { lines: [{ sku: tea, quantity: 3 }], reason: 'damaged in transit' });
    expect(returned).toMatchObject({
      returnId: 'PR1',
      supplierRefundDue: 1500,
      funds: { supplierRefundDue: 1500 },
      lines: [{ received: 10, returned: 3 }],
      purchaseReturns: [{ returnId: 'PR1', state: 'done', lines: [{ sku: tea, quantity: 3 }], reason: 'damaged in transit', requestedBy: 'wang' }],
    });
    expect(await stockOf(tea)).toEqual({ onHand: 7, reserved: 0, available: 7 });

    const over = await refused(409, 'exceeds_shipped', 'wang', `/api/orders/${orderId}/purchase-returns`, { lines: [{ sku: tea, quantity: 8 }], reason: 'all of it' });
    expect(over).toMatchObject({ sku: tea });
    expect(await badFields('wang', `/api/orders/${orderId}/purchase-returns`, { lines: [{ sku: 'NOT-ON-ORDER', quantity: 1 }], reason: 'x' })).toEqual(['lines[0].sku']);
  });

  it('above the unreserved stock on hand is 409 insufficient_stock and nothing changes', async () => {
    const tea = await product(0);
    const orderId = await receivedPurchase(tea, 5, 400);
    await sale([{ sku: tea, quantity: 4 }]);
    expect(await stockOf(tea)).toEqual({ onHand: 5, reserved: 4, available: 1 });

    const short = await refused(409, 'insufficient_stock', 'wang', `/api/orders/${orderId}/purchase-returns`, { lines: [{ sku: tea, quantity: 2 }], reason: 'wrong grade' });
    expect(short.lines).toEqual([expect.objectContaining({ sku: tea })]);
    expect(await stockOf(tea)).toEqual({ onHand: 5, reserved: 4, available: 1 });
    const { order } = await orderOf(orderId);
    expect(order.lines[0]).toMatchObject({ received: 5, returnedToSupplier: 0 });
    expect(order.purchaseReturns).toEqual([expect.objectContaining({ returnId: 'PR1', state: 'refused' })]);
    // What is free may still go back, and only that changes the supplier's debt.
    expect(await ok('wang', `/api/orders/${orderId}/purchase-returns`, { lines: [{ sku: tea, quantity: 1 }], reason: 'wrong grade' })).toMatchObject({ returnId: 'PR2', supplierRefundDue: 400 });
  });

  it('are for purchases only', async () => {
    const tea = await product(5);
    const orderId = await sale([{ sku: tea, quantity: 1 }]);
    await refused(409, 'invalid_transition', 'wang', `/api/orders/${orderId}/purchase-returns`, { lines: [{ sku: tea, quantity: 1 }], reason: 'x' });
  });
});

describe('roles of the routes of orders in parts', () => {
  it.each([
    ['an approver amending', 'bob', 'amend', { lines: [{ sku: 'A', quantity: 1 }], reason: 'x' }],
    ['a warehouse user amending', 'wang', 'amend', { lines: [{ sku: 'A', quantity: 1 }], reason: 'x' }],
    ['a clerk holding', 'alice', 'hold', { reason: 'x' }],
    ['a finance user holding', 'fay', 'hold', { reason: 'x' }],
    ['a clerk releasing a hold', 'alice', 'hold/release', {}],
    ['a warehouse user requesting a customer return', 'wang', 'returns', { lines: [{ sku: 'A', quantity: 1 }], reason: 'x' }],
    ['a clerk receiving a return', 'alice', 'returns/receive', { lines: [{ sku: 'A', quantity: 1, condition: 'resellable' }] }],
    ['a clerk closing returns', 'alice', 'returns/close', { reason: 'x' }],
    ['a clerk returning goods to the supplier', 'alice', 'purchase-returns', { lines: [{ sku: 'A', quantity: 1 }], reason: 'x' }],
    ['an approver returning goods to the supplier', 'bob', 'purchase-returns', { lines: [{ sku: 'A', quantity: 1 }], reason: 'x' }],
    ['a clerk shipping part', 'alice', 'ship', { lines: [{ sku: 'A', quantity: 1 }] }],
    ['an auditor delivering a shipment', 'aud', 'deliver', { shipmentId: 'S1' }],
  ])('%s is 403, whatever the order (even one that does not exist)', async (_what, who, action, body) => {
    const tea = await product(5);
    const existing = await sale([{ sku: tea, quantity: 1 }]);
    for (const orderId of [existing, 'no-such-order']) await refused(403, 'forbidden', who, `/api/orders/${orderId}/${action}`, body);
  });

  it('a user who sees every order but did not place it may not amend it (403)', async () => {
    const tea = await product(5);
    const orderId = await sale([{ sku: tea, quantity: 1 }]);
    keys.mixed ??= await jxc.keyFor('mixed', 'clerk', 'approver');
    await refused(403, 'forbidden', 'mixed', `/api/orders/${orderId}/amend`, { lines: [{ sku: tea, quantity: 2 }], reason: 'not mine' });
  });
});
