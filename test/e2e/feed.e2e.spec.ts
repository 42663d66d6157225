import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

// GET /api/feed as an integration follows it: business events oldest first, page after page, filtered by type,
// long-polling for the next one; internal records never in it; roles and bad parameters refused.

interface Item {
  position: string;
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  occurredAt: string;
  schemaVersion: number;
  data: Record<string, unknown>;
}

let jxc: RunningApp;
let integration: string;
let auditor: string;

const feed = (key: string, query = '') => jxc.http.get(`/api/feed${query}`).set(jxc.as(key));

/** Every item, read page by page with `after`. */
async function readAll(key: string, limit: number, extra = ''): Promise<Item[]> {
  const items: Item[] = [];
  let after: string | null = null;
  for (;;) {
    const response = await feed(key, `?limit=${limit}${after === null ? '' : `&after=${after}`}${extra}`).expect(200);
    const page = response.body as { items: Item[]; last: string | null };
    if (page.items.length === 0) {
      expect(page.last).toBe(after);
      return items;
    }
    expect(page.last).toBe(page.items[page.items.length - 1].position);
    items.push(...page.items);
    after = page.last;
  }
}

beforeAll(async () => {
  jxc = await startApp();
  integration = await jxc.keyFor('shop-bridge', 'integration');
  auditor = await jxc.keyFor('audrey', 'auditor');
  const admin = jxc.as(ADMIN_KEY);
  await jxc.http.post('/api/products').set(admin).send({ sku: 'TEA-1', name: 'Longjing 250 g', price: 1999 }).expect(201);
  await jxc.http.post('/api/stock/receipts').set(admin).send({ sku: 'TEA-1', quantity: 10 }).expect(201);
  await jxc.http.post('/api/customers').set({ ...admin, 'Idempotency-Key': 'feed-customer' }).send({ id: 'C-1', name: '欧阳娜娜', phone: '+86 138 0000 0000' }).expect(201);
  await jxc.http.post('/api/orders').set(admin).send({ orderId: 'SO-F1', kind: 'sale', partyId: 'C-1', lines: [{ sku: 'TEA-1', quantity: 2 }] }).expect(201);
});

afterAll(async () => {
  await jxc?.close();
});

describe('GET /api/feed', () => {
  it('answers every business event oldest first, and no internal record (keys, idempotency, number claims)', async () => {
    const items = (await feed(integration, '?limit=1000').expect(200)).body.items as Item[];
    const positions = items.map((item) => BigInt(item.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(items.map((item) => item.streamId.split('-')[0]))).toEqual(new Set(['product', 'stock', 'customer', 'order']));
    expect(items.map((item) => item.type)).toEqual(expect.arrayContaining(['ProductRegistered', 'StockReceived', 'CustomerRegistered', 'OrderPlaced', 'StockReserved', 'OrderReserved']));
    expect(items.some((item) => /ApiKey|Idempotent|Number/.test(item.type))).toBe(false);
    const placed = items.find((item) => item.type === 'OrderPlaced')!;
    expect(placed).toMatchObject({ streamId: 'order-SO-F1', revision: 0, schemaVersion: 2, data: { orderId: 'SO-F1', currency: 'CNY', partyId: 'C-1' } });
    expect(Date.parse(placed.occurredAt)).not.toBeNaN();
    expect(new Set(items.map((item) => item.eventId)).size).toBe(items.length);
  });

  it('gives the customer its personal data in clear to the integration and the auditor', async () => {
    for (const key of [integration, auditor]) {
      const items = (await feed(key, '?types=CustomerRegistered').expect(200)).body.items as Item[];
      expect(items).toHaveLength(1);
      expect(items[0].data).toMatchObject({ id: 'C-1', name: '欧阳娜娜', phone: '+86 138 0000 0000' });
      expect(JSON.stringify(items[0])).not.toContain('jxc:pii');
    }
  });

  it('reads the same events page by page with after as at once', async () => {
    const whole = (await feed(integration, '?limit=1000').expect(200)).body.items as Item[];
    expect(await readAll(integration, 2)).toEqual(whole);
  });

  it('filters by type, keeping log order', async () => {
    const whole = (await feed(integration, '?limit=1000').expect(200)).body.items as Item[];
    const filtered = await readAll(integration, 1, '&types=OrderPlaced,StockReserved');
    expect(filtered).toEqual(whole.filter((item) => item.type === 'OrderPlaced' || item.type === 'StockReserved'));
    expect(filtered.length).toBeGreaterThanOrEqual(2);
  });

  it('waits for the next event when asked to, and answers it as soon as it is appended', async () => {
    const whole = (await feed(integration, '?limit=1000').expect(200)).body.items as Item[];
    const last = whole[whole.length - 1].position;
    const waiting = feed(integration, `?after=${last}&wait=20&types=ProductRegistered`).then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await jxc.http.post('/api/stock/receipts').set(jxc.as(ADMIN_KEY)).send({ sku: 'TEA-1', quantity: 1 }).expect(201);
    await jxc.http.post('/api/products').set(jxc.as(ADMIN_KEY)).send({ sku: 'CUP-1', name: 'Cup', price: 500 }).expect(201);
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({ type: 'ProductRegistered', streamId: 'product-CUP-1' });
  });

  it('answers no items and last = after when nothing comes within wait', async () => {
    const whole = (await feed(integration, '?limit=1000').expect(200)).body.items as Item[];
    const last = whole[whole.length - 1].position;
    const response = await feed(integration, `?after=${last}&wait=1`).expect(200);
    expect(response.body).toEqual({ items: [], last });
  });

  it('is for integration and auditor (and admin) only', async () => {
    expect((await feed(ADMIN_KEY).expect(200)).body.items.length).toBeGreaterThan(0);
    for (const role of ['clerk', 'analyst', 'warehouse'] as const) {
      const key = await jxc.keyFor(`feed-${role}`, role);
      expect((await feed(key)).status).toBe(403);
    }
    expect((await jxc.http.get('/api/feed')).status).toBe(401);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['wait=31', 'wait'],
    ['wait=-1', 'wait'],
    ['after=abc', 'after'],
    ['after=1%3B2', 'after'],
    ['types=order-placed', 'types'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const response = await feed(integration, `?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
  });
});
