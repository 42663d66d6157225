import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { stockStream } from '../../domain/index.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { StreamFaults } from '../support/stream-faults.js';
import { until } from '../support/until.js';

/*
 * API.md "Stock operations, warehouses, master data changes" (issues, transfers, receipts at a cost) and the
 * stock value: moving average cost per warehouse and SKU, over HTTP on the real application (SQLite on disk).
 * Roles are checked before any state is read. Every response is checked against the OpenAPI document at close.
 */

let jxc: RunningApp;
const faults = new StreamFaults();
const keys: Record<string, string> = {};

beforeAll(async () => {
  jxc = await startApp({}, { wrapEventStore: faults.wrap });
  keys.admin = ADMIN_KEY;
  keys.alice = await jxc.keyFor('alice', 'clerk');
  keys.wang = await jxc.keyFor('wang', 'warehouse');
  keys.ann = await jxc.keyFor('ann', 'analyst');
  keys.fay = await jxc.keyFor('fay', 'finance');
  await post('admin', '/api/customers', { id: 'so-cust', name: 'Hangzhou Tea House' }).expect(201);
  await post('admin', '/api/suppliers', { id: 'so-sup', name: 'West Lake Tea Farm' }).expect(201);
  await post('wang', '/api/warehouses', { id: 'east', name: 'East shop' }).expect(201);
});
afterAll(async () => {
  await jxc.close();
});

type Body = Record<string, unknown>;

const post = (who: string, path: string, body: object = {}) => jxc.http.post(path).set(jxc.as(keys[who])).send(body);
const get = (who: string, path: string) => jxc.http.get(path).set(jxc.as(keys[who]));

let counter = 0;
async function product(): Promise<string> {
  const sku = `SO-${++counter}`;
  await post('admin', '/api/products', { sku, name: `Tea ${sku}`, price: 2000 }).expect(201);
  return sku;
}

async function level(sku: string, warehouseId = 'main', minPosition?: string): Promise<Body> {
  const fresh = minPosition === undefined ? '' : `&minPosition=${minPosition}`;
  const response = await get('ann', `/api/stock/${sku}?warehouseId=${warehouseId}${fresh}`);
  expect(response.status).toBe(200);
  return response.body as Body;
}

async function refused(status: number, code: string, who: string, path: string, body: object = {}): Promise<Body> {
  const response = await post(who, path, body);
  expect({ path, status: response.status, code: response.body?.error?.code }).toEqual({ path, status, code });
  return response.body.error.details as Body;
}

const badFields = async (who: string, path: string, body: object): Promise<string[]> =>
  ((await refused(400, 'validation_failed', who, path, body)).fields as { field: string }[]).map((entry) => entry.field);

describe('cost: moving average per warehouse and SKU', () => {
  it('receipts at a cost average; one without a cost comes in at the average; levels show unitCost and value', async () => {
    const sku = await product();
    const first = await post('wang', '/api/stock/receipts', { sku, quantity: 10, unitCost: 1000 }).expect(201);
    expect(first.body).toMatchObject({ onHand: 10, unitCost: 1000, value: 10_000, inTransit: 0, inTransitValue: 0 });
    const second = await post('wang', '/api/stock/receipts', { sku, quantity: 20, unitCost: 1300 }).expect(201);
    expect(second.body).toMatchObject({ onHand: 30, unitCost: 1200, value: 36_000 });
    const third = await post('wang', '/api/stock/receipts', { sku, quantity: 5 }).expect(201);
    expect(third.body).toMatchObject({ onHand: 35, unitCost: 1200, value: 42_000 });
    expect(await level(sku, 'main', third.body.position)).toMatchObject({ onHand: 35, unitCost: 1200, value: 42_000 });
    expect(await badFields('wang', '/api/stock/receipts', { sku, quantity: 1, unitCost: -1 })).toEqual(['unitCost']);
    expect(await badFields('wang', '/api/stock/receipts', { sku, quantity: 1, unitCost: 1.5 })).toEqual(['unitCost']);
  });

  it('a purchase receipt comes in at the purchase line price; a shipment takes the average out, a return brings back what it left with', async () => {
    const sku = await product();
    await post('wang', '/api/stock/receipts', { sku, quantity: 10, unitCost: 900 }).expect(201);
    const purchase = await post('alice', '/api/orders', { kind: 'purchase', partyId: 'so-sup', lines: [{ sku, quantity: 10, unitPrice: 1500 }] }).expect(201);
    const received = await post('wang', `/api/orders/${purchase.body.orderId}/receive`, { lines: [{ sku, quantity: 10 }] }).expect(200);
    expect(await level(sku, 'main', received.body.position)).toMatchObject({ onHand: 20, value: 24_000, unitCost: 1200 });

    const sale = await post('alice', '/api/orders', { kind: 'sale', partyId: 'so-cust', lines: [{ sku, quantity: 3, unitPrice: 3000 }] }).expect(201);
    const orderId = sale.body.orderId as string;
    await post('alice', `/api/orders/${orderId}/payments`, { amount: 9000, method: 'card' }).expect(200);
    const shipped = await post('wang', `/api/orders/${orderId}/ship`).expect(200);
    // 3 of 20 units at 24 000 leave with 3 600; the average stays 1 200.
    expect(await level(sku, 'main', shipped.body.position)).toMatchObject({ onHand: 17, value: 20_400, unitCost: 1200 });
    // A cheaper receipt moves the average; the return still comes back at 1 200 a unit, what it left with.
    const cheaper = await post('wang', '/api/stock/receipts', { sku, quantity: 3, unitCost: 200 }).expect(201);
    expect(cheaper.body).toMatchObject({ onHand: 20, value: 21_000, unitCost: 1050 });
    await post('wang', `/api/orders/${orderId}/deliver`).expect(200);
    await post('alice', `/api/orders/${orderId}/returns`, { lines: [{ sku, quantity: 2 }], reason: 'wrong tea' }).expect(200);
    const back = await post('wang', `/api/orders/${orderId}/returns/receive`, { lines: [{ sku, quantity: 2, condition: 'resellable' }] }).expect(200);
    expect(await level(sku, 'main', back.body.position)).toMatchObject({ onHand: 22, value: 23_400 });
  });

  it('a stocktake loss takes the average out, a gain comes in at the average', async () => {
    const sku = await product();
    await post('wang', '/api/stock/receipts', { sku, quantity: 3, unitCost: 1000 }).expect(201);
    await post('wang', '/api/stock/receipts', { sku, quantity: 1, unitCost: 1001 }).expect(201);
    const loss = await post('wang', '/api/stock/counts', { sku, countedQuantity: 1, reason: 'broken jars' }).expect(201);
    // 3 of 4 units carrying 4 001: round(4001 × 3 / 4) = 3 001 leave; 1 000 stays, exactly.
    expect(loss.body).toMatchObject({ variance: -3, onHand: 1, value: 1000, unitCost: 1000 });
    const gain = await post('wang', '/api/stock/counts', { sku, countedQuantity: 3, reason: 'found a box' }).expect(201);
    expect(gain.body).toMatchObject({ variance: 2, onHand: 3, value: 3000 });
    const empty = await post('wang', '/api/stock/counts', { sku, countedQuantity: 0, reason: 'all gone' }).expect(201);
    expect(empty.body).toMatchObject({ onHand: 0, value: 0, unitCost: 0 });
  });
});

describe('stock issues (出库)', () => {
  it('takes units and their value off hand, never below what is reserved', async () => {
    const sku = await product();
    await post('wang', '/api/stock/receipts', { sku, quantity: 10, unitCost: 500 }).expect(201);
    await post('alice', '/api/orders', { kind: 'sale', partyId: 'so-cust', lines: [{ sku, quantity: 6, unitPrice: 900 }] }).expect(201);
    const issued = await post('wang', '/api/stock/issues', { sku, quantity: 3, reason: 'scrap: broken jars' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ sku, warehouseId: 'main', onHand: 7, reserved: 6, available: 1, value: 3500, unitCost: 500 });
    expect(typeof issued.body.issueId).toBe('string');
    const short = await refused(409, 'insufficient_stock', 'wang', '/api/stock/issues', { sku, quantity: 2, reason: 'internal use' });
    expect(short).toMatchObject({ requested: 2, available: 1 });
    expect(await level(sku, 'main', issued.body.position)).toMatchObject({ onHand: 7, value: 3500 });
  });

  it('refuses bad input naming the field, an unknown product or warehouse; clerks and analysts get 403 before anything is checked', async () => {
    const sku = await product();
    expect((await badFields('wang', '/api/stock/issues', { sku, quantity: 0, reason: '' })).sort()).toEqual(['quantity', 'reason']);
    expect(await badFields('wang', '/api/stock/issues', { sku: 'NO-SUCH', quantity: 1, reason: 'x' })).toEqual(['sku']);
    expect(await badFields('wang', '/api/stock/issues', { sku, quantity: 1, reason: 'x', warehouseId: 'nowhere' })).toEqual(['warehouseId']);
    await refused(409, 'insufficient_stock', 'wang', '/api/stock/issues', { sku, quantity: 1, reason: 'nothing on hand' });
    await refused(403, 'forbidden', 'alice', '/api/stock/issues', { sku, quantity: 1, reason: 'x' });
    await refused(403, 'forbidden', 'ann', '/api/stock/issues', {});
  });
});

describe('transfers (调拨)', () => {
  it('leave from with their value, are in transit at to, and arrive on hand there in parts', async () => {
    const sku = await product();
    await post('wang', '/api/stock/receipts', { sku, quantity: 10, unitCost: 700 }).expect(201);
    const sent = await post('wang', '/api/stock/transfers', { sku, quantity: 4, to: 'east', note: 'restock east' });
    expect(sent.status).toBe(201);
    const transferId = sent.body.transferId as string;
    expect(sent.body).toMatchObject({ sku, from: 'main', to: 'east', quantity: 4, received: 0, status: 'in_transit', value: 2800, arrived: true, sentBy: 'wang', note: 'restock east' });
    expect(await level(sku, 'main', sent.body.position)).toMatchObject({ onHand: 6, value: 4200 });
    expect(await level(sku, 'east', sent.body.position)).toMatchObject({ onHand: 0, inTransit: 4, inTransitValue: 2800, value: 0 });

    const shown = await get('ann', `/api/stock/transfers/${transferId}?minPosition=${sent.body.position}`).expect(200);
    expect(shown.body).toMatchObject({ transferId, status: 'in_transit', received: 0, quantity: 4 });
    const inTransit = await get('fay', `/api/stock/transfers?status=in_transit&minPosition=${sent.body.position}`).expect(200);
    expect((inTransit.body.items as Body[]).map((item) => item.transferId)).toContain(transferId);

    const part = await post('wang', `/api/stock/transfers/${transferId}/receive`, { quantity: 1 });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({ received: 1, status: 'in_transit', receivedValue: 700 });
    await refused(409, 'exceeds_shipped', 'wang', `/api/stock/transfers/${transferId}/receive`, { quantity: 4 });
    const rest = await post('wang', `/api/stock/transfers/${transferId}/receive`, {}).expect(200);
    expect(rest.body).toMatchObject({ received: 4, status: 'received', receivedValue: 2800 });
    expect(await level(sku, 'east', rest.body.position)).toMatchObject({ onHand: 4, inTransit: 0, inTransitValue: 0, value: 2800, unitCost: 700 });
    await refused(409, 'invalid_transition', 'wang', `/api/stock/transfers/${transferId}/receive`, {});
    const done = await get('ann', `/api/stock/transfers?status=received&minPosition=${rest.body.position}`).expect(200);
    expect((done.body.items as Body[]).find((item) => item.transferId === transferId)).toMatchObject({ status: 'received', received: 4 });
  });

  it('never takes what is reserved at from; refuses bad input, unknown warehouses and the same warehouse; 404 for an unknown transfer', async () => {
    const sku = await product();
    await post('wang', '/api/stock/receipts', { sku, quantity: 5 }).expect(201);
    await post('alice', '/api/orders', { kind: 'sale', partyId: 'so-cust', lines: [{ sku, quantity: 4, unitPrice: 900 }] }).expect(201);
    expect(await refused(409, 'insufficient_stock', 'wang', '/api/stock/transfers', { sku, quantity: 2, to: 'east' })).toMatchObject({ requested: 2, available: 1 });
    expect(await badFields('wang', '/api/stock/transfers', { sku, quantity: 1, to: 'main' })).toEqual(['to']);
    expect(await badFields('wang', '/api/stock/transfers', { sku, quantity: 1, from: 'nowhere', to: 'east' })).toEqual(['from']);
    expect(await badFields('wang', '/api/stock/transfers', { sku, quantity: 1, to: 'nowhere' })).toEqual(['to']);
    expect(await badFields('wang', '/api/stock/transfers', { sku: 'NO-SUCH', quantity: 1, to: 'east' })).toEqual(['sku']);
    expect(await badFields('wang', '/api/stock/transfers', { sku, quantity: -1 }).then((fields) => fields.sort())).toEqual(['quantity', 'to']);
    await refused(404, 'not_found', 'wang', '/api/stock/transfers/no-such-transfer/receive', {});
    expect((await get('ann', '/api/stock/transfers/no-such-transfer')).status).toBe(404);
    expect((await get('ann', '/api/stock/transfers?status=lost')).status).toBe(400);
  });

  it('only warehouse staff (and admins) send and receive; a clerk gets 403 before anything is checked', async () => {
    await refused(403, 'forbidden', 'alice', '/api/stock/transfers', { sku: 'x', quantity: 1, to: 'east' });
    await refused(403, 'forbidden', 'fay', '/api/stock/transfers/anything/receive', {});
    await refused(403, 'forbidden', 'ann', '/api/stock/transfers', {});
  });

  it('a transfer whose arrival at to failed after the decision is finished by the recovery', async () => {
    const sku = await product();
    await post('wang', '/api/stock/receipts', { sku, quantity: 8, unitCost: 250 }).expect(201);
    faults.fail(stockStream('east', sku));
    const sent = await post('wang', '/api/stock/transfers', { sku, quantity: 8, to: 'east' });
    // The decision is recorded at from; the second append (to) failed: the answer says it has not arrived yet.
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ arrived: false, value: 2000 });
    expect(await level(sku, 'main', sent.body.position)).toMatchObject({ onHand: 0, value: 0 });
    expect(faults.refused.get(stockStream('east', sku))).toBeGreaterThan(0);
    faults.heal();
    const arrived = await until('the recovery to record the transfer in transit at east', async () => {
      const response = await get('ann', `/api/stock/${sku}?warehouseId=east`);
      return response.status === 200 && response.body.inTransit === 8 ? (response.body as Body) : undefined;
    }, 15_000);
    expect(arrived).toMatchObject({ inTransit: 8, inTransitValue: 2000, onHand: 0 });
    const received = await post('wang', `/api/stock/transfers/${sent.body.transferId}/receive`, {}).expect(200);
    expect(received.body).toMatchObject({ arrived: true, status: 'received', receivedValue: 2000 });
  });
});
