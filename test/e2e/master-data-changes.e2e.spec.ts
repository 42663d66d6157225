import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { customerStream } from '../../domain/index.js';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { until as poll } from '../support/until.js';

/*
 * API.md "Stock operations, warehouses, master data changes" over HTTP, on the real application (real SQLite on
 * disk): warehouses as master data (and an unknown warehouse refused everywhere), product, customer and supplier
 * changes as events, active/inactive, a product's price history. Roles are checked before any state is read.
 * Every response is also checked against the served OpenAPI document when the app closes.
 */

let jxc: RunningApp;
const keys: Record<string, string> = {};

beforeAll(async () => {
  jxc = await startApp();
  keys.admin = ADMIN_KEY;
  keys.alice = await jxc.keyFor('alice', 'clerk');
  keys.wang = await jxc.keyFor('wang', 'warehouse');
  keys.fay = await jxc.keyFor('fay', 'finance');
  keys.ann = await jxc.keyFor('ann', 'analyst');
});
afterAll(async () => {
  await jxc.close();
});

type Body = Record<string, unknown>;

const post = (who: string, path: string, body: object = {}) => jxc.http.post(path).set(jxc.as(keys[who])).send(body);
const patch = (who: string, path: string, body: object = {}) => jxc.http.patch(path).set(jxc.as(keys[who])).send(body);
const get = (who: string, path: string) => jxc.http.get(path).set(jxc.as(keys[who]));

/** What `probe` answers once `ok` holds (views catch up with the log shortly after a command). */
const until = <T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> =>
  poll('the views to show the change', async () => {
    const value = await probe();
    return ok(value) ? value : undefined;
  }, 10_000);

/** The fields a 400 validation_failed names. */
function badFields(response: { status: number; body: Body }): string[] {
  expect({ status: response.status, code: (response.body.error as Body | undefined)?.code }).toEqual({ status: 400, code: 'validation_failed' });
  return ((response.body.error as Body).details as { fields: { field: string }[] }).fields.map((entry) => entry.field);
}

describe('warehouses', () => {
  it('main exists from the start and is listed first; a registered warehouse is listed after it', async () => {
    const registered = await post('wang', '/api/warehouses', { id: 'SH_PUDONG', name: 'Shanghai Pudong', address: '88 Century Avenue' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ id: 'SH_PUDONG', name: 'Shanghai Pudong', address: '88 Century Avenue' });
    const first = await post('admin', '/api/warehouses', { id: 'AA_FIRST', name: 'Alphabetically first' }).expect(201);

    // Read at the later registration's position: the view then holds both.
    const listed = await get('fay', `/api/warehouses?minPosition=${first.body.position}`).expect(200);
    const ids = (listed.body.items as { id: string }[]).map((item) => item.id);
    expect(ids.slice(0, 1)).toEqual(['main']);
    expect(ids).toEqual(['main', 'AA_FIRST', 'SH_PUDONG']);
  });

  it('registering the same warehouse again answers the same; another under a known id, or main, is 409 already_exists', async () => {
    await post('wang', '/api/warehouses', { id: 'SH_PUDONG', name: 'Shanghai Pudong', address: '88 Century Avenue' }).expect(201);
    expect((await post('wang', '/api/warehouses', { id: 'SH_PUDONG', name: 'Somewhere else' })).body.error.code).toBe('already_exists');
    expect((await post('admin', '/api/warehouses', { id: 'main', name: 'Main' })).status).toBe(409);
  });

  it('only warehouse staff (and admins) register warehouses; a clerk gets 403 before anything is checked', async () => {
    expect((await post('alice', '/api/warehouses', { id: 'SH_PUDONG', name: 'x' })).status).toBe(403);
    expect((await post('fay', '/api/warehouses', { id: 'bad-id' })).status).toBe(403);
  });

  it('refuses an id with a dash or without a name, naming the fields', async () => {
    expect(badFields(await post('wang', '/api/warehouses', { id: 'sh-1', name: '' })).sort()).toEqual(['id', 'name']);
  });

  it('an unknown warehouse is 400 validation_failed naming warehouseId on receipts, counts, thresholds, stock reads, reorder planning, the stock export and order placement', async () => {
    await post('admin', '/api/products', { sku: 'WH-1', name: 'Tea', price: 1000 }).expect(201);
    await post('admin', '/api/customers', { id: 'wh-cust', name: 'Wang Fang' }).expect(201);
    expect(badFields(await post('wang', '/api/stock/receipts', { sku: 'WH-1', quantity: 5, warehouseId: 'NOWHERE' }))).toEqual(['warehouseId']);
    expect(badFields(await post('wang', '/api/stock/counts', { sku: 'WH-1', countedQuantity: 5, warehouseId: 'NOWHERE', reason: 'count' }))).toEqual(['warehouseId']);
    expect(badFields(await jxc.http.put('/api/stock/WH-1/thresholds').set(jxc.as(keys.wang)).send({ min: 1, max: 9, warehouseId: 'NOWHERE' }))).toEqual(['warehouseId']);
    expect(badFields(await get('wang', '/api/stock/WH-1?warehouseId=NOWHERE'))).toEqual(['warehouseId']);
    expect(badFields(await get('wang', '/api/stock?warehouseId=NOWHERE'))).toEqual(['warehouseId']);
    expect(badFields(await get('ann', '/api/planning/reorder?warehouseId=NOWHERE'))).toEqual(['warehouseId']);
    expect(badFields(await get('ann', '/api/stock/export?format=csv&warehouseId=NOWHERE'))).toEqual(['warehouseId']);
    const order = await jxc.http.post('/api/orders').set({ ...jxc.as(keys.alice), 'Idempotency-Key': 'wh-unknown' })
      .send({ kind: 'sale', partyId: 'wh-cust', warehouseId: 'NOWHERE', lines: [{ sku: 'WH-1', quantity: 1 }] });
    expect(badFields(order)).toEqual(['warehouseId']);
  });

  it('an opening-stock import names an unknown warehouse in the row and imports the others', async () => {
    const imported = await jxc.http.post('/api/import/opening-stock').set({ Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'text/csv' })
      .send(Buffer.from('sku,quantity,warehouseId\nWH-1,3,NOWHERE\nWH-1,4,SH_PUDONG\n'));
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ rows: 2, applied: 1, errors: [{ row: 2, field: 'warehouseId', problem: 'no warehouse NOWHERE' }] });
  });

  it('a registered warehouse takes receipts and is read back', async () => {
    const receipt = await post('wang', '/api/stock/receipts', { sku: 'WH-1', quantity: 7, warehouseId: 'SH_PUDONG' });
    expect(receipt.status).toBe(201);
    const level = await get('wang', `/api/stock/WH-1?warehouseId=SH_PUDONG&minPosition=${receipt.body.position}`).expect(200);
    expect(level.body).toMatchObject({ sku: 'WH-1', warehouseId: 'SH_PUDONG', onHand: 11 });
  });
});

describe('product changes', () => {
  beforeAll(async () => {
    await post('admin', '/api/products', { sku: 'PC-1', name: 'Biluochun 100 g', price: 5000 }).expect(201);
    await post('admin', '/api/products', { sku: 'PC-2', name: 'Pu-erh cake', price: 9000 }).expect(201);
    await post('admin', '/api/customers', { id: 'pc-cust', name: 'Li Lei' }).expect(201);
    await post('admin', '/api/suppliers', { id: 'pc-sup', name: 'Yunnan Tea Farm' }).expect(201);
    await post('wang', '/api/stock/receipts', { sku: 'PC-1', quantity: 50 }).expect(201);
    await post('wang', '/api/stock/receipts', { sku: 'PC-2', quantity: 50 }).expect(201);
  });

  const placeSale = (key: string, lines: object[], partyId = 'pc-cust') =>
    jxc.http.post('/api/orders').set({ ...jxc.as(keys.alice), 'Idempotency-Key': key }).send({ kind: 'sale', partyId, lines });

  it('a registration answers the position of its event: the lists read there include it at once; a repeat answers null', async () => {
    const product = await post('wang', '/api/products', { sku: 'PC-NEW', name: 'Dragon well', price: 4200 }).expect(201);
    const customer = await post('alice', '/api/customers', { id: 'pc-new-cust', name: 'Han Mei' }).expect(201);
    expect([product.body.position, customer.body.position]).toEqual([expect.any(String), expect.any(String)]);
    const products = await get('fay', `/api/products?q=PC-NEW&minPosition=${encodeURIComponent(product.body.position as string)}`).expect(200);
    expect(products.body.items.map((item: Body) => item.sku)).toEqual(['PC-NEW']);
    const customers = await get('alice', `/api/customers?q=pc-new&minPosition=${encodeURIComponent(customer.body.position as string)}`).expect(200);
    expect(customers.body.items.map((item: Body) => item.name)).toEqual(['Han Mei']);
    expect((await post('wang', '/api/products', { sku: 'PC-NEW', name: 'Dragon well', price: 4200 }).expect(201)).body.position).toBeNull();
  });

  it('a price change is an event; a placed order keeps its line price, a new one takes the new price', async () => {
    const before = await placeSale('pc-before', [{ sku: 'PC-1', quantity: 2 }]);
    expect(before.status).toBe(201);
    expect(before.body.lines[0].unitPrice).toBe(5000);

    const changed = await patch('wang', '/api/products/PC-1', { price: 5500, preferredSupplierId: 'pc-sup', leadTimeDays: 12 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ sku: 'PC-1', price: 5500, preferredSupplierId: 'pc-sup', leadTimeDays: 12, active: true });

    const placed = await get('alice', `/api/orders/${before.body.orderId}`).expect(200);
    expect(placed.body.lines[0].unitPrice).toBe(5000);
    expect(placed.body.total).toBe(10000);
    const after = await placeSale('pc-after', [{ sku: 'PC-1', quantity: 1 }]);
    expect(after.body.lines[0].unitPrice).toBe(5500);
  });

  it('reorder planning proposes the preferred supplier and plans with the lead time the product declares', async () => {
    const planned = await until(async () => (await get('ann', '/api/planning/reorder')).body as { items: { sku: string; supplierId: string | null; leadTimeDays: number }[] }, (body) => body.items.some((item) => item.sku === 'PC-1' && item.supplierId !== null));
    expect(planned.items.find((item) => item.sku === 'PC-1')).toMatchObject({ supplierId: 'pc-sup', leadTimeDays: 12 });
  });

  it('the product view read at the answer\'s position shows the change; its history lists the registration and each price change in order', async () => {
    const changed = await patch('admin', '/api/products/PC-1', { price: 6000 });
    expect(changed.status).toBe(200);
    expect(changed.body.position).toEqual(expect.any(String));
    // Read-your-writes: at the answer's position the views hold the change at once (no polling).
    const atWrite = `minPosition=${encodeURIComponent(changed.body.position as string)}`;
    expect((await get('ann', `/api/products?${atWrite}`).expect(200)).body.items.find((item: Body) => item.sku === 'PC-1')).toMatchObject({ price: 6000 });
    const readBack = (await get('fay', `/api/products/PC-1/history?${atWrite}`).expect(200)).body as { sku: string; events: { type: string; data: { changes?: { price?: number } }; actor: { id: string } }[] };
    expect(readBack.sku).toBe('PC-1');
    expect(readBack.events.map((event) => event.type)).toEqual(['ProductRegistered', 'ProductChanged', 'ProductChanged']);
    expect(readBack.events.map((event) => event.data.changes?.price)).toEqual([undefined, 5500, 6000]);
    expect(readBack.events.map((event) => event.actor.id)).toEqual(['admin', 'wang', 'admin']);
    expect((await until(async () => (await get('ann', '/api/products/PC-1')).body as { price: number }, (body) => body.price === 6000)).price).toBe(6000);
  });

  it('a PATCH that changes nothing appends nothing: the history stays as it is', async () => {
    const same = await patch('wang', '/api/products/PC-1', { price: 6000, name: 'Biluochun 100 g' });
    expect(same.status).toBe(200);
    expect(same.body.position).toBeNull();
    const history = await get('fay', '/api/products/PC-1/history').expect(200);
    expect(history.body.events).toHaveLength(3);
  });

  it('an inactive product refuses new orders and new amendment lines with 409 inactive naming the sku; placed orders go on', async () => {
    const placed = await placeSale('pc-placed-before-inactive', [{ sku: 'PC-2', quantity: 1 }]);
    expect(placed.status).toBe(201);
    await patch('wang', '/api/products/PC-2', { active: false }).expect(200);

    const refused = await placeSale('pc-inactive', [{ sku: 'PC-1', quantity: 1 }, { sku: 'PC-2', quantity: 1 }]);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'inactive', details: { fields: ['lines[1].sku'], skus: ['PC-2'] } });

    const other = await placeSale('pc-other', [{ sku: 'PC-1', quantity: 1 }]);
    const amended = await jxc.http.post(`/api/orders/${other.body.orderId}/amend`).set(jxc.as(keys.alice)).send({ lines: [{ sku: 'PC-1', quantity: 1 }, { sku: 'PC-2', quantity: 1 }], reason: 'add a cake' });
    expect(amended.status).toBe(409);
    expect(amended.body.error).toMatchObject({ code: 'inactive', details: { skus: ['PC-2'] } });

    // The order placed before goes on: it ships.
    await jxc.http.post(`/api/orders/${placed.body.orderId}/process`).set(jxc.as(keys.wang)).send({}).expect(200);
    await jxc.http.post(`/api/orders/${placed.body.orderId}/ship`).set(jxc.as(keys.wang)).send({}).expect(200);

    await patch('wang', '/api/products/PC-2', { active: true }).expect(200);
    expect((await placeSale('pc-active-again', [{ sku: 'PC-2', quantity: 1 }])).status).toBe(201);
  });

  it('refuses bad changes naming the fields; an unknown product is 404; an unknown preferred supplier is 400', async () => {
    expect(badFields(await patch('wang', '/api/products/PC-1', { price: -1, active: 'no', colour: 'red' })).sort()).toEqual(['active', 'colour', 'price']);
    expect(badFields(await patch('wang', '/api/products/PC-1', { preferredSupplierId: 'nobody' }))).toEqual(['preferredSupplierId']);
    expect(badFields(await patch('wang', '/api/products/PC-1', { maxStock: 1, minStock: 3 }))).toEqual(['maxStock']);
    expect((await patch('wang', '/api/products/NOPE', { price: 1 })).status).toBe(404);
  });

  it('only warehouse staff and admins change products, before anything else is checked', async () => {
    expect((await patch('alice', '/api/products/PC-1', { price: 1 })).status).toBe(403);
    expect((await patch('fay', '/api/products/NOPE', { price: -1 })).status).toBe(403);
    expect((await get('alice', '/api/products/PC-1/history')).status).toBe(200);
    expect((await get('alice', '/api/products/NOPE/history')).status).toBe(404);
  });
});

describe('customer and supplier changes', () => {
  beforeAll(async () => {
    await post('admin', '/api/products', { sku: 'PTY-1', name: 'Green tea', price: 1000 }).expect(201);
    await post('wang', '/api/stock/receipts', { sku: 'PTY-1', quantity: 10 }).expect(201);
    await post('alice', '/api/customers', { id: 'pty-cust', name: 'Zhang Wei', phone: '13800000001' }).expect(201);
    await post('wang', '/api/suppliers', { id: 'pty-sup', name: 'Anji Farm' }).expect(201);
  });

  it('a clerk changes a customer\'s contact details; the clerk reads them, an analyst does not', async () => {
    const changed = await patch('alice', '/api/customers/pty-cust', { phone: '13900000002', email: 'zhang@example.cn' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: 'pty-cust', name: 'Zhang Wei', phone: '13900000002', email: 'zhang@example.cn', active: true, position: expect.any(String) });
    const read = await get('alice', `/api/customers/pty-cust?minPosition=${encodeURIComponent(changed.body.position as string)}`).expect(200);
    expect(read.body).toMatchObject({ name: 'Zhang Wei', phone: '13900000002', email: 'zhang@example.cn' });
    const masked = await get('ann', '/api/customers/pty-cust').expect(200);
    expect(masked.body).toMatchObject({ name: null, phone: null, email: null });
  });

  it('the changed personal fields are sealed in the log like a registration\'s; null clears a field', async () => {
    const store = jxc.app.get<EventStore>(EVENT_STORE);
    const stored: { type: string; data: unknown }[] = [];
    for await (const event of store.readStream(customerStream('pty-cust'))) stored.push({ type: event.type, data: event.data });
    const change = stored.find((event) => event.type === 'CustomerChanged');
    expect(change).toBeDefined();
    expect(JSON.stringify(change)).not.toContain('13900000002');
    expect(JSON.stringify(change)).not.toContain('zhang@example.cn');

    const cleared = await patch('alice', '/api/customers/pty-cust', { email: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ email: null, phone: '13900000002' });
    expect((await patch('wang', '/api/products/PTY-1', { spec: 'tin' })).body.spec).toBe('tin');
    expect((await patch('wang', '/api/products/PTY-1', { spec: null })).body.spec).toBeNull();
  });

  it('an inactive customer or supplier refuses new orders with 409 inactive naming partyId', async () => {
    await patch('alice', '/api/customers/pty-cust', { active: false }).expect(200);
    const sale = await jxc.http.post('/api/orders').set({ ...jxc.as(keys.alice), 'Idempotency-Key': 'pty-sale' }).send({ kind: 'sale', partyId: 'pty-cust', lines: [{ sku: 'PTY-1', quantity: 1 }] });
    expect(sale.status).toBe(409);
    expect(sale.body.error).toMatchObject({ code: 'inactive', details: { fields: ['partyId'], partyId: 'pty-cust' } });

    await patch('wang', '/api/suppliers/pty-sup', { active: false }).expect(200);
    const purchase = await jxc.http.post('/api/orders').set({ ...jxc.as(keys.alice), 'Idempotency-Key': 'pty-purchase' }).send({ kind: 'purchase', partyId: 'pty-sup', lines: [{ sku: 'PTY-1', quantity: 1, unitPrice: 500 }] });
    expect(purchase.status).toBe(409);
    expect(purchase.body.error.code).toBe('inactive');

    await patch('alice', '/api/customers/pty-cust', { active: true }).expect(200);
    expect((await jxc.http.post('/api/orders').set({ ...jxc.as(keys.alice), 'Idempotency-Key': 'pty-sale-2' }).send({ kind: 'sale', partyId: 'pty-cust', lines: [{ sku: 'PTY-1', quantity: 1 }] })).status).toBe(201);
  });

  it('roles: customers are changed by clerks, suppliers by warehouse staff (and admins)', async () => {
    expect((await patch('wang', '/api/customers/pty-cust', { phone: '1' })).status).toBe(403);
    expect((await patch('alice', '/api/suppliers/pty-sup', { phone: '1' })).status).toBe(403);
    expect((await patch('fay', '/api/customers/nobody', { email: 'bad' })).status).toBe(403);
    expect((await patch('admin', '/api/suppliers/pty-sup', { address: 'Anji, Huzhou' })).status).toBe(200);
  });

  it('refuses bad changes naming the fields; an unknown party is 404', async () => {
    expect(badFields(await patch('alice', '/api/customers/pty-cust', { email: 'not an email', name: '' })).sort()).toEqual(['email', 'name']);
    expect((await patch('alice', '/api/customers/nobody', { phone: '1' })).status).toBe(404);
    expect((await patch('wang', '/api/suppliers/pty-cust', { phone: '1' })).status).toBe(404);
  });
});
