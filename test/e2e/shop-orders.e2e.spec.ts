import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ShopOrders } from '../../src/orders/shop-orders.js';
import { type CommandMetadata } from '../../src/platform/write-model/command-metadata.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

// Shop orders over HTTP (API.md "Integrations": POST /api/orders with channel and externalId), on the real
// application and the embedded store: one order per (channel, externalId), a repeat answers the first order.
let jxc: RunningApp;
const keys: Record<string, string> = {};
let seq = 0;
const marker = 'MARKER';
const unique = (prefix: string) => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

interface Placed {
  readonly orderId: string;
  readonly number: string;
  readonly status: string;
  readonly position: string;
}

beforeAll(async () => {
  jxc = await startApp();
  keys.admin = ADMIN_KEY;
  keys.shop = await jxc.keyFor('shop-bot', 'integration');
  keys.other = await jxc.keyFor('other-bot', 'integration');
  await post('/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House' }, 'admin').expect(201);
  await post('/api/products', { sku: marker, name: 'position marker', price: 1 }, 'admin').expect(201);
});
afterAll(async () => {
  await jxc.close();
});

function post(path: string, body: object, who = 'shop', headers: Record<string, string> = {}) {
  return jxc.http.post(path).set({ ...jxc.as(keys[who]), ...headers }).send(body);
}

/** A product of its own with `onHand` units, so that reservations count this test's orders only. */
async function product(onHand: number): Promise<string> {
  const sku = unique('TEA');
  await post('/api/products', { sku, name: 'Longjing 250 g', price: 1000 }, 'admin').expect(201);
  if (onHand > 0) await post('/api/stock/receipts', { sku, quantity: onHand }, 'admin').expect(201);
  return sku;
}

const shopOrder = (sku: string, externalId: string, extra: object = {}) => ({ kind: 'sale', partyId: 'cust-1', channel: 'taobao', externalId, lines: [{ sku, quantity: 2 }], ...extra });

/** The stock view once it has applied everything appended so far (the head of the log). */
async function stockOf(sku: string): Promise<{ onHand: number; reserved: number }> {
  const head = await post('/api/stock/receipts', { sku: marker, quantity: 1 }, 'admin').expect(201);
  return (await jxc.http.get(`/api/stock/${sku}?minPosition=${head.body.position}`).set(jxc.as(ADMIN_KEY)).expect(200)).body;
}

async function ordersOf(partyOrderIds: readonly string[], position: string): Promise<string[]> {
  const list = await jxc.http.get(`/api/orders?limit=200&minPosition=${position}`).set(jxc.as(ADMIN_KEY)).expect(200);
  return (list.body.items as Placed[]).map((item) => item.orderId).filter((id) => partyOrderIds.includes(id));
}

describe('shop orders: channel + externalId on POST /api/orders', () => {
  it('the same pair again, with another request (no or another Idempotency-Key), answers the first order with 200, never a second one', async () => {
    const sku = await product(10);
    const externalId = unique('TB');
    const first = await post('/api/orders', shopOrder(sku, externalId), 'shop', { 'Idempotency-Key': unique('k') }).expect(201);
    const again = await post('/api/orders', shopOrder(sku, externalId), 'shop', { 'Idempotency-Key': unique('k') }).expect(200);
    const bare = await post('/api/orders', shopOrder(sku, externalId)).expect(200);
    for (const repeat of [again, bare]) {
      expect(repeat.body).toMatchObject({ orderId: first.body.orderId, number: first.body.number, status: 'placed' });
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(repeat.headers.etag).toBe(`"${repeat.body.revision}"`);
    }
    // Reserved once: one order holds the stock.
    expect(await stockOf(sku)).toMatchObject({ onHand: 10, reserved: 2 });
  });

  it('a repeat with a changed body still answers the first order unchanged', async () => {
    const sku = await product(10);
    const externalId = unique('TB');
    const first = await post('/api/orders', shopOrder(sku, externalId)).expect(201);
    const changed = await post('/api/orders', shopOrder(sku, externalId, { lines: [{ sku, quantity: 5 }] })).expect(200);
    expect(changed.body.orderId).toBe(first.body.orderId);
    expect(changed.body.lines).toMatchObject([{ sku, quantity: 2 }]);
    expect(await stockOf(sku)).toMatchObject({ reserved: 2 });
  });

  it('is unique per channel: the same externalId on another channel is another order', async () => {
    const sku = await product(10);
    const externalId = unique('X');
    const taobao = await post('/api/orders', shopOrder(sku, externalId)).expect(201);
    const jd = await post('/api/orders', shopOrder(sku, externalId, { channel: 'jd.com' })).expect(201);
    expect(jd.body.orderId).not.toBe(taobao.body.orderId);
    expect(await stockOf(sku)).toMatchObject({ reserved: 4 });
  });

  it('concurrent requests for one pair place exactly one order: one 201, the others 200 with the same order', async () => {
    const sku = await product(100);
    const externalId = unique('TB');
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post('/api/orders', shopOrder(sku, externalId), 'shop', i % 2 === 0 ? { 'Idempotency-Key': unique('k') } : {})));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const orderIds = new Set(answers.map((answer) => answer.body.orderId as string));
    expect(orderIds.size).toBe(1);
    expect(await stockOf(sku)).toMatchObject({ onHand: 100, reserved: 2 });
    const last = answers.map((answer) => answer.body.position as string).sort((a, b) => Number(a) - Number(b)).at(-1) ?? '0';
    expect(await ordersOf([...orderIds], last)).toEqual([...orderIds]);
  });

  it('finishes a placement that stopped between its claim and its order: the next request for the pair places the claimed order, once', async () => {
    const sku = await product(10);
    const externalId = unique('TB');
    // Exactly what a crash after the claim's append leaves: the pair claimed for an order that was never placed.
    const claimedId = unique('shop-order');
    const metadata: CommandMetadata = { commandId: unique('cmd'), correlationId: unique('corr'), causationId: unique('cause'), actor: { id: 'shop-bot', roles: ['integration'] }, now: new Date().toISOString() };
    await jxc.app.get(ShopOrders).claim({ channel: 'taobao', externalId }, claimedId, metadata);
    expect(await stockOf(sku)).toMatchObject({ reserved: 0 });
    const resumed = await post('/api/orders', shopOrder(sku, externalId)).expect(201);
    expect(resumed.body).toMatchObject({ orderId: claimedId, status: 'placed' });
    const again = await post('/api/orders', shopOrder(sku, externalId)).expect(200);
    expect(again.body.orderId).toBe(claimedId);
    expect(await stockOf(sku)).toMatchObject({ reserved: 2 });
  });

  it('a first order rejected for stock is answered again as it was (409 insufficient_stock), and no second order is placed', async () => {
    const sku = await product(1);
    const externalId = unique('TB');
    const first = await post('/api/orders', shopOrder(sku, externalId)).expect(409);
    expect(first.body.error.code).toBe('insufficient_stock');
    const again = await post('/api/orders', shopOrder(sku, externalId)).expect(409);
    expect(again.body.error.code).toBe('insufficient_stock');
    expect(await stockOf(sku)).toMatchObject({ onHand: 1, reserved: 0 });
  });

  it("another integration's pair is 409 already_exists naming externalId, without showing that order", async () => {
    const sku = await product(10);
    const externalId = unique('TB');
    const first = await post('/api/orders', shopOrder(sku, externalId)).expect(201);
    const other = await post('/api/orders', shopOrder(sku, externalId), 'other').expect(409);
    expect(other.body.error).toMatchObject({ code: 'already_exists', details: { field: 'externalId', externalId } });
    expect(JSON.stringify(other.body)).not.toContain(first.body.orderId);
    // An admin sees every order: the first order, with 200.
    expect((await post('/api/orders', shopOrder(sku, externalId), 'admin').expect(200)).body.orderId).toBe(first.body.orderId);
  });

  it('both or neither: channel without externalId (or the reverse), or a bad channel, is 400 naming the field; a refused request claims nothing', async () => {
    const sku = await product(10);
    const { externalId: _dropped, ...noExternalId } = shopOrder(sku, 'x');
    const { channel: _gone, ...noChannel } = shopOrder(sku, unique('TB'));
    const cases: [object, string][] = [
      [noExternalId, 'externalId'],
      [noChannel, 'channel'],
      [shopOrder(sku, unique('TB'), { channel: 'tao:bao' }), 'channel'],
      [shopOrder(sku, 'has space'), 'externalId'],
    ];
    for (const [body, field] of cases) {
      const refused = await post('/api/orders', body).expect(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.details.fields.map((entry: { field: string }) => entry.field)).toContain(field);
    }
    // Refused later (an unknown party): the pair stays free for the next, valid request and its own order id.
    const externalId = unique('TB');
    await post('/api/orders', shopOrder(sku, externalId, { orderId: unique('refused'), partyId: 'nobody' })).expect(400);
    const orderId = unique('kept');
    expect((await post('/api/orders', shopOrder(sku, externalId, { orderId })).expect(201)).body.orderId).toBe(orderId);
    expect(await stockOf(sku)).toMatchObject({ reserved: 2 });
  });
});
