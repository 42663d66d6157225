import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

let jxc: RunningApp;

beforeAll(async () => {
  jxc = await startApp();
  await jxc.http.post('/api/customers').set(jxc.as(ADMIN_KEY)).send({ id: 'cust-1', name: 'Hangzhou Tea House' }).expect(201);
  await jxc.http.post('/api/products').set(jxc.as(ADMIN_KEY)).send({ sku: 'TEA-1', name: 'Longjing', price: 1000 }).expect(201);
  await jxc.http.post('/api/stock/receipts').set(jxc.as(ADMIN_KEY)).send({ sku: 'TEA-1', quantity: 100 }).expect(201);
});
afterAll(async () => {
  await jxc.close();
});

/** Sends `raw` as the JSON body, byte for byte (an object literal with `__proto__` would set a prototype instead). */
function postRaw(path: string, raw: string, headers: Record<string, string> = {}) {
  return jxc.http.post(path).set({ ...jxc.as(ADMIN_KEY), ...headers }).send(raw);
}

/** The fields a 400 validation_failed names, after checking it is one and carries no stack trace. */
function refusedFields(response: { status: number; body: { error?: { code: string; details: { fields?: { field: string }[] } } }; text: string }): string[] {
  expect(response.status).toBe(400);
  expect(response.body.error?.code).toBe('validation_failed');
  expect(response.text).not.toMatch(/at .*\.js:\d+/);
  return (response.body.error?.details.fields ?? []).map((f) => f.field);
}

const nestedArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const nestedObjects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const placeOrder = (line: string, extra = '') => `{"kind":"sale","partyId":"cust-1","lines":[${line}]${extra}}`;
const LINE = '{"sku":"TEA-1","quantity":1,"unitPrice":1000}';

describe('body depth', () => {
  it('accepts 32 levels of nesting and refuses 33 with 400 naming body', async () => {
    // The body is level 1, lines level 2, a line level 3: an unknown key holding 29 more levels is level 32.
    const at32 = await postRaw('/api/orders', placeOrder(`{"sku":"TEA-1","quantity":1,"unitPrice":1000,"x":${nestedArrays(29)}}`));
    expect(refusedFields(at32)).toEqual(['lines[0].x']);
    const at33 = await postRaw('/api/orders', placeOrder(`{"sku":"TEA-1","quantity":1,"unitPrice":1000,"x":${nestedArrays(30)}}`));
    expect(refusedFields(at33)).toEqual(['body']);
    expect(at33.body.error.details.fields[0].problems[0]).toMatch(/deeper than 32/);
  });

  it.each([1_400, 10_000])('refuses %i nested arrays and objects with 400, not a stack overflow', async (levels) => {
    expect(refusedFields(await postRaw('/api/orders', nestedArrays(levels)))).toEqual(['body']);
    expect(refusedFields(await postRaw('/api/keys', nestedObjects(levels)))).toEqual(['body']);
    expect(refusedFields(await postRaw('/api/orders', placeOrder(LINE, `,"x":${nestedArrays(levels)}`)))).toEqual(['body']);
    // With an Idempotency-Key too: the idempotency record is never reached.
    expect(refusedFields(await postRaw('/api/orders', nestedArrays(levels), { 'Idempotency-Key': `deep-${levels}` }))).toEqual(['body']);
  });

  it('comes after authentication and roles: 401 without a key, 403 for a role that may not write', async () => {
    const anonymous = await jxc.http.post('/api/orders').set('Content-Type', 'application/json').send(nestedArrays(10_000));
    expect(anonymous.status).toBe(401);
    const analyst = await jxc.keyFor('ann', 'analyst');
    const forbidden = await jxc.http.post('/api/products').set(jxc.as(analyst)).send(`{"sku":"X-1","name":"X","price":1,"__proto__":{},"deep":${nestedArrays(100)}}`);
    expect(forbidden.status).toBe(403);
  });

  it('answers 413 to 100,000 levels (over the 100 kB body limit), never 5xx', async () => {
    const response = await postRaw('/api/orders', nestedArrays(100_000));
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it('a refused deep body leaves its Idempotency-Key unused: the same key with a good body places the order', async () => {
    const key = { 'Idempotency-Key': 'deep-then-good' };
    refusedFields(await postRaw('/api/orders', placeOrder(LINE, `,"x":${nestedArrays(40)}`), key));
    const placed = await postRaw('/api/orders', placeOrder(LINE), key);
    expect(placed.status).toBe(201);
    expect(placed.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('keys a route does not define', () => {
  it.each(['__proto__', 'constructor', 'prototype', 'extra'])('refuses %s at the top level, naming it', async (key) => {
    const response = await postRaw('/api/keys', `{"userId":"eve","roles":["clerk"],"${key}":{"isAdmin":true}}`);
    expect(refusedFields(response)).toEqual([key]);
  });

  it.each(['__proto__', 'constructor', 'prototype', 'colour'])('refuses %s inside an order line, naming its path', async (key) => {
    const response = await postRaw('/api/orders', placeOrder(`${LINE},{"sku":"TEA-1","quantity":1,"unitPrice":1000,"${key}":{"polluted":true}}`));
    expect(refusedFields(response)).toEqual([`lines[1].${key}`]);
  });

  it('refuses __proto__ inside a nested object and deeper in an unknown field', async () => {
    const penalty = await postRaw('/api/orders/any-order/cancellation/approve', '{"penalty":{"amount":100,"payer":"company","__proto__":{"x":1}}}');
    expect(refusedFields(penalty)).toEqual(['penalty.__proto__']);
    const deeper = await postRaw('/api/keys', '{"userId":"eve","roles":["clerk"],"meta":{"list":[{"constructor":{"prototype":1}}]}}');
    expect(refusedFields(deeper)).toEqual(['meta.list[0].constructor']);
  });

  it('a refused __proto__ pollutes no prototype', async () => {
    refusedFields(await postRaw('/api/keys', '{"userId":"eve","roles":["clerk"],"__proto__":{"polluted":["admin"]}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body with keys on a route that takes none, and accepts an empty object there', async () => {
    const placed = await postRaw('/api/orders', placeOrder(LINE));
    expect(placed.status).toBe(201);
    const { orderId } = placed.body as { orderId: string };
    expect(refusedFields(await postRaw(`/api/orders/${orderId}/process`, '{"force":true}'))).toEqual(['force']);
    expect(refusedFields(await postRaw(`/api/orders/${orderId}/process`, '["x"]'))).toEqual(['body']);
    expect((await postRaw(`/api/orders/${orderId}/process`, '{}')).status).toBe(200);
    expect(refusedFields(await jxc.http.get(`/api/orders/${orderId}`).set(jxc.as(ADMIN_KEY)).send('{"asOf":"2020-01-01T00:00:00Z"}'))).toEqual(['asOf']);
  });

  it('names the field holding a lone surrogate', async () => {
    expect(refusedFields(await postRaw('/api/orders', placeOrder('{"sku":"TEA\\ud800","quantity":1,"unitPrice":1000}')))).toEqual(['lines[0].sku']);
  });
});

describe('null for an optional field is refused, as the OpenAPI document (not nullable) says', () => {
  it('at the top level, naming the field', async () => {
    const product = await postRaw('/api/products', '{"sku":"CUP-1","name":"Cup","price":500,"spec":null,"minStock":null}');
    expect(refusedFields(product).sort()).toEqual(['minStock', 'spec']);
    const order = await postRaw('/api/orders', placeOrder(LINE, ',"warehouseId":null,"currency":null,"orderId":null'));
    expect(refusedFields(order).sort()).toEqual(['currency', 'orderId', 'warehouseId']);
    // Omitted, the same fields take their defaults.
    expect((await postRaw('/api/products', '{"sku":"CUP-1","name":"Cup","price":500}')).status).toBe(201);
  });

  it('in a nested object and alongside other problems', async () => {
    const response = await postRaw('/api/orders/any-order/cancellation/approve', '{"penalty":null,"goodwillCoupon":null,"refundMethod":"gold"}');
    expect(refusedFields(response).sort()).toEqual(['goodwillCoupon', 'penalty', 'refundMethod']);
  });

  it('still accepts null where a field is nullable (a stock threshold cleared)', async () => {
    const response = await jxc.http.put('/api/stock/TEA-1/thresholds').set(jxc.as(ADMIN_KEY)).send('{"min":null,"max":null}');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ min: null, max: null });
  });
});
