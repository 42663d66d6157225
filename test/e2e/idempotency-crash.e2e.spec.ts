import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { idempotencyStream } from '../../src/platform/idempotency/idempotency-record.aggregate.js';
import { idempotencyScope } from '../../src/platform/idempotency/idempotency.interceptor.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

// A keyed command is appended, then its answer is recorded in the key's own stream. A SIGKILL between the two
// leaves the command's events without the record. Here the same state is made on disk, exactly: the request
// runs for real, the service stops, the record's event is removed from events.sqlite, the service starts again
// on the same data directory (nothing cached), and the client retries with its key.

let dataDir: string;
let jxc: RunningApp;
const keys: Record<string, string> = {};
const users: Record<string, string> = {};
let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jxc-idem-crash-'));
  jxc = await startApp({ dataDir });
  keys.admin = ADMIN_KEY;
  users.admin = 'admin';
  for (const [who, role] of [
    ['alice', 'clerk'],
    ['bob', 'approver'],
    ['wang', 'warehouse'],
    ['fay', 'finance'],
  ] as const) {
    keys[who] = await jxc.keyFor(who, role);
    users[who] = who;
  }
  await post('admin', '/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House' }).expect(201);
});
afterAll(async () => {
  await jxc.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function post(who: string, path: string, body: unknown = {}, headers: Record<string, string> = {}) {
  return jxc.http.post(path).set({ ...jxc.as(keys[who]), ...headers }).send(body as object);
}

/** The service is killed after the command's append and before its answer's record: same state on disk. */
async function crashBeforeTheRecord(who: string, key: string): Promise<void> {
  await jxc.app.close();
  const db = new Database(join(dataDir, 'events.sqlite'));
  try {
    const removed = db.prepare('DELETE FROM events WHERE stream_id = ?').run(idempotencyStream(idempotencyScope(users[who], key)));
    // The record was there: without this, the retry below would prove nothing.
    expect(removed.changes).toBe(1);
  } finally {
    db.close();
  }
  jxc = await startApp({ dataDir });
}

async function eventsSince(position: string | undefined): Promise<RecordedEvent[]> {
  const store = jxc.app.get<EventStore>(EVENT_STORE);
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll({ fromPosition: position })) events.push(event);
  return events;
}

const head = () => jxc.app.get<EventStore>(EVENT_STORE).headPosition();

async function product(onHand: number): Promise<string> {
  const sku = unique('SKU');
  await post('admin', '/api/products', { sku, name: `Product ${sku}`, price: 1000 }).expect(201);
  if (onHand > 0) await post('wang', '/api/stock/receipts', { sku, quantity: onHand }).expect(201);
  return sku;
}

async function paidSale(): Promise<{ orderId: string; sku: string }> {
  const sku = await product(10);
  const placed = await post('alice', '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity: 2, unitPrice: 1000 }] }).expect(201);
  await post('alice', `/api/orders/${placed.body.orderId}/payments`, { amount: 2000, method: 'card' }).expect(200);
  return { orderId: placed.body.orderId as string, sku };
}

describe('Idempotency-Key: a retry after a crash between the command and the record of its answer', () => {
  it('approving a cancellation answers 200 with the cancelled order again, not 409 "the order is cancelled"', async () => {
    const { orderId } = await paidSale();
    await post('alice', `/api/orders/${orderId}/cancellation`, { reason: 'found it cheaper', initiatedBy: 'customer' }).expect(200);
    const since = await head();
    const key = unique('approve');
    const first = await post('bob', `/api/orders/${orderId}/cancellation/approve`, { note: 'ok' }, { 'Idempotency-Key': key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'cancelled', paid: 2000, refunded: 2000 });

    await crashBeforeTheRecord('bob', key);
    const retry = await post('bob', `/api/orders/${orderId}/cancellation/approve`, { note: 'ok' }, { 'Idempotency-Key': key });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);

    const types = (await eventsSince(since)).map((e) => e.type);
    expect(types.filter((t) => t === 'CancellationApproved')).toHaveLength(1);
    expect(types.filter((t) => t === 'RefundIssued')).toHaveLength(1);
    expect(types.filter((t) => t === 'OrderCancelled')).toHaveLength(1);
  });

  it('recording a payment of the whole total answers 200 again, not 409 overpayment, and records it once', async () => {
    const sku = await product(10);
    const placed = await post('alice', '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity: 3, unitPrice: 1000 }] }).expect(201);
    const orderId = placed.body.orderId as string;
    const key = unique('pay');
    const pay = () => post('fay', `/api/orders/${orderId}/payments`, { amount: 3000, method: 'bank' }, { 'Idempotency-Key': key });
    const first = await pay();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ paid: 3000 });

    await crashBeforeTheRecord('fay', key);
    const retry = await pay();
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const payments = (await eventsSince(undefined)).filter((e) => e.streamId === `payment-${orderId}` && e.type === 'PaymentReceived');
    expect(payments).toHaveLength(1);
  });

  it('a payment sent with If-Match is answered again after the order moved on, not 412', async () => {
    const sku = await product(10);
    const placed = await post('alice', '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity: 1, unitPrice: 1000 }] }).expect(201);
    const orderId = placed.body.orderId as string;
    const key = unique('pay');
    const pay = () => post('fay', `/api/orders/${orderId}/payments`, { amount: 400, method: 'bank' }, { 'Idempotency-Key': key, 'If-Match': String(placed.body.revision) });
    const first = await pay();
    expect(first.status).toBe(200);
    await post('wang', `/api/orders/${orderId}/process`, {}).expect(200);

    await crashBeforeTheRecord('fay', key);
    const retry = await pay();
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ orderId, status: 'processing', paid: 400 });
  });

  it('placing an order without an orderId answers 201 with the same order again, never a second order', async () => {
    const sku = await product(10);
    const since = await head();
    const key = unique('place');
    const body = { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity: 4, unitPrice: 1000 }] };
    const first = await post('alice', '/api/orders', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'placed', reservation: 'complete' });

    await crashBeforeTheRecord('alice', key);
    const retry = await post('alice', '/api/orders', body, { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);

    const types = (await eventsSince(since)).map((e) => e.type);
    expect(types.filter((t) => t === 'OrderPlaced')).toHaveLength(1);
    expect(types.filter((t) => t === 'StockReserved')).toHaveLength(1);
  });

  it('a stock receipt answers 201 with the same level again and is counted once', async () => {
    const sku = await product(0);
    const key = unique('receipt');
    const first = await post('wang', '/api/stock/receipts', { sku, quantity: 25 }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ sku, onHand: 25 });

    await crashBeforeTheRecord('wang', key);
    const retry = await post('wang', '/api/stock/receipts', { sku, quantity: 25 }, { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect((await eventsSince(undefined)).filter((e) => e.streamId === `stock-main-${sku}` && e.type === 'StockReceived')).toHaveLength(1);
  });

  it("a stock count answers 201 with the first count's variance again, not a variance of 0", async () => {
    const sku = await product(10);
    const key = unique('count');
    const first = await post('wang', '/api/stock/counts', { sku, countedQuantity: 8, reason: 'monthly stocktake' }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ variance: -2, onHand: 8 });

    await crashBeforeTheRecord('wang', key);
    const retry = await post('wang', '/api/stock/counts', { sku, countedQuantity: 8, reason: 'monthly stocktake' }, { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });

  it('registering a customer without an id answers 201 with the same customer, never a second one', async () => {
    const key = unique('customer');
    const first = await post('alice', '/api/customers', { name: 'Suzhou Silk Co.' }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);

    await crashBeforeTheRecord('alice', key);
    const retry = await post('alice', '/api/customers', { name: 'Suzhou Silk Co.' }, { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.body.name).toBe('Suzhou Silk Co.');
    // The name is sealed in the store: the customer is found by its id.
    expect((await eventsSince(undefined)).filter((e) => e.type === 'CustomerRegistered' && (e.data as { id: string }).id === retry.body.id)).toHaveLength(1);
  });

  it('issuing an API key answers 201 with the same key id, the key itself null (only its hash was kept), and one key exists', async () => {
    const key = unique('issue');
    const first = await post('admin', '/api/keys', { userId: 'lin', roles: ['analyst'] }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(typeof first.body.key).toBe('string');

    await crashBeforeTheRecord('admin', key);
    const retry = await post('admin', '/api/keys', { userId: 'lin', roles: ['analyst'] }, { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ ...first.body, key: null });
    expect((await eventsSince(undefined)).filter((e) => e.type === 'ApiKeyIssued' && (e.data as { userId: string }).userId === 'lin')).toHaveLength(1);
    // the key shown the first time is the one that works
    await jxc.http.get('/api/orders').set(jxc.as(first.body.key as string)).expect(200);
  });

  it('the same key with another body is still 422 idempotency_key_reused, and appends nothing', async () => {
    const sku = await product(0);
    const key = unique('receipt');
    await post('wang', '/api/stock/receipts', { sku, quantity: 5 }, { 'Idempotency-Key': key }).expect(201);

    await crashBeforeTheRecord('wang', key);
    const since = await head();
    const other = await post('wang', '/api/stock/receipts', { sku, quantity: 7 }, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await eventsSince(since)).toEqual([]);
  });
});

describe('Idempotency-Key on a request refused before anything is decided', () => {
  it('a 400 appends nothing, and the corrected request may then use the same key', async () => {
    const sku = await product(0);
    const key = unique('bad');
    const since = await head();
    const refused = await post('wang', '/api/stock/receipts', { sku, quantity: -3 }, { 'Idempotency-Key': key });
    expect(refused.status).toBe(400);
    const unknown = await post('wang', '/api/stock/receipts', { sku: 'NO-SUCH-SKU', quantity: 3 }, { 'Idempotency-Key': unique('bad') });
    expect(unknown.status).toBe(400);
    expect(await eventsSince(since)).toEqual([]);

    const corrected = await post('wang', '/api/stock/receipts', { sku, quantity: 3 }, { 'Idempotency-Key': key });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ onHand: 3 });
  });

  it('a 404 and a 412 append nothing', async () => {
    const { orderId } = await paidSale();
    const since = await head();
    expect((await post('wang', '/api/orders/no-such-order/process', {}, { 'Idempotency-Key': unique('missing') })).status).toBe(404);
    expect((await post('wang', `/api/orders/${orderId}/process`, {}, { 'Idempotency-Key': unique('stale'), 'If-Match': '0' })).status).toBe(412);
    expect(await eventsSince(since)).toEqual([]);
  });

  it('a domain refusal (409) is remembered as the first answer, replayed as it was', async () => {
    const sku = await product(1);
    const key = unique('short');
    const body = { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity: 5, unitPrice: 1000 }] };
    const first = await post('alice', '/api/orders', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(409);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    await post('wang', '/api/stock/receipts', { sku, quantity: 10 }).expect(201);
    const again = await post('alice', '/api/orders', body, { 'Idempotency-Key': key });
    expect(again.status).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('a successful replay is an ordinary response with its status and Idempotent-Replayed: true', async () => {
    const sku = await product(0);
    const key = unique('receipt');
    const first = await post('wang', '/api/stock/receipts', { sku, quantity: 2 }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('wang', '/api/stock/receipts', { sku, quantity: 2 }, { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});
