import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Config } from '../../src/platform/config/config.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

export interface ReadSideBackend {
  /** What /api/health reports as `readStore.kind`. */
  readonly kind: 'sqlite' | 'mongodb';
  /** Config for the app: which read store. */
  overrides(): Partial<Config>;
  cleanUp?(): Promise<void>;
}

/**
 * The read side end to end through the real app: commands over HTTP, projections into the configured
 * read store, queries and auditor tools over HTTP. Run on SQLite views and, when MONGODB_URL is set, on MongoDB.
 */
export function readSideSuite(backend: ReadSideBackend): void {
  let jxc: RunningApp;
  const keys: Record<string, string> = {};
  let seq = 0;
  const unique = (prefix: string) => `${prefix}-${++seq}`;

  beforeAll(async () => {
    jxc = await startApp(backend.overrides());
    keys.admin = ADMIN_KEY;
    for (const [user, role] of [
      ['alice', 'clerk'],
      ['carol', 'clerk'],
      ['bob', 'approver'],
      ['wang', 'warehouse'],
      ['fay', 'finance'],
      ['ann', 'analyst'],
      ['aud', 'auditor'],
      ['int', 'integration'],
    ] as const) {
      keys[user] = await jxc.keyFor(user, role);
    }
    await post('admin', '/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House' }).expect(201);
    await post('admin', '/api/suppliers', { id: 'sup-1', name: 'West Lake Tea Farm' }).expect(201);
  });
  afterAll(async () => {
    await jxc.close();
    await backend.cleanUp?.();
  });

  function post(who: string, path: string, body: unknown = {}) {
    return jxc.http.post(path).set(jxc.as(keys[who])).send(body as object);
  }

  function get(who: string, path: string, headers: Record<string, string> = {}) {
    return jxc.http.get(path).set({ ...jxc.as(keys[who]), ...headers });
  }

  async function product(onHand: number, name?: string): Promise<string> {
    const sku = unique('SKU');
    await post('admin', '/api/products', { sku, name: name ?? `Product ${sku}`, price: 1000 }).expect(201);
    if (onHand > 0) await post('wang', '/api/stock/receipts', { sku, quantity: onHand }).expect(201);
    return sku;
  }

  async function sale(sku: string, quantity = 2, who = 'alice') {
    const response = await post(who, '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity, unitPrice: 1000 }] });
    expect(response.status).toBe(201);
    return response.body as { orderId: string; position: string; revision: number; [field: string]: unknown };
  }

  describe('order queries', () => {
    it('read their own writes with minPosition: the view shows what the command answered', async () => {
      const sku = await product(10);
      const placed = await sale(sku, 3);
      const paid = (await post('fay', `/api/orders/${placed.orderId}/payments`, { amount: 1000, method: 'card' }).expect(200)).body;
      const response = await get('alice', `/api/orders/${placed.orderId}?minPosition=${paid.position}`).expect(200);
      expect(response.headers['x-jxc-stale']).toBeUndefined();
      const { position: _commandPosition, ...answered } = paid;
      expect(response.body).toMatchObject({ ...answered, paid: 1000, lines: [expect.objectContaining({ sku, reserved: 3 })] });
      expect(typeof response.body.position).toBe('string');
      expect(response.body).not.toHaveProperty('id');
    });

    it('lists a clerk only the orders it placed, and answers 404 for the others', async () => {
      const sku = await product(10);
      const mine = await sale(sku, 1, 'alice');
      const theirs = await sale(sku, 1, 'carol');
      const list = await get('alice', `/api/orders?minPosition=${theirs.position}&limit=500`).expect(200);
      const ids = list.body.items.map((order: { orderId: string }) => order.orderId);
      expect(ids).toContain(mine.orderId);
      expect(ids).not.toContain(theirs.orderId);
      expect(list.body.items.every((order: { ownerId: string }) => order.ownerId === 'alice')).toBe(true);
      expect((await get('alice', `/api/orders/${theirs.orderId}`).expect(404)).body.error.code).toBe('not_found');
      // An approver sees every order.
      expect((await get('bob', `/api/orders/${theirs.orderId}`).expect(200)).body.ownerId).toBe('carol');
    });

    it('filters by kind, status, party, number and cancellation, newest first, page by page', async () => {
      const sku = await product(50);
      const placedOrders = [];
      for (let i = 0; i < 5; i++) placedOrders.push(await sale(sku, 1));
      const cancelled = placedOrders[1];
      const request = (await post('alice', `/api/orders/${cancelled.orderId}/cancellation`, { reason: 'changed mind', initiatedBy: 'customer' }).expect(200)).body;
      const shipped = (await post('wang', `/api/orders/${placedOrders[3].orderId}/ship`).expect(200)).body;
      const last = [request.position, shipped.position].sort((a, b) => Number(a) - Number(b))[1];

      const requested = await get('ann', `/api/orders?cancellation=requested&minPosition=${last}`).expect(200);
      expect(requested.body.items.map((order: { orderId: string }) => order.orderId)).toContain(cancelled.orderId);
      const shippedSales = await get('ann', '/api/orders?kind=sale&status=shipped').expect(200);
      expect(shippedSales.body.items.map((order: { orderId: string }) => order.orderId)).toContain(placedOrders[3].orderId);
      expect(shippedSales.body.items.every((order: { status: string }) => order.status === 'shipped')).toBe(true);
      const byNumber = await get('ann', `/api/orders?number=${String(placedOrders[4].number)}`).expect(200);
      expect(byNumber.body.items.map((order: { orderId: string }) => order.orderId)).toEqual([placedOrders[4].orderId]);

      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { orderId: string }[]; nextCursor: string | null } } = await get('ann', `/api/orders?partyId=cust-1&limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        pages.push(...page.body.items.map((order: { orderId: string }) => order.orderId));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(new Set(pages).size).toBe(pages.length);
      for (const order of placedOrders) expect(pages).toContain(order.orderId);
      // Newest first: these five were placed in this order.
      const positions = placedOrders.map((order) => pages.indexOf(order.orderId));
      expect([...positions].sort((a, b) => b - a)).toEqual(positions);
    });

    it('filters orders on hold now (onHold=true|false) and partially shipped ones', async () => {
      const sku = await product(20);
      const held = await sale(sku, 3);
      const partly = await sale(sku, 3);
      await post('bob', `/api/orders/${held.orderId}/hold`, { reason: 'address unclear' }).expect(200);
      const shipped = (await post('wang', `/api/orders/${partly.orderId}/ship`, { lines: [{ sku, quantity: 1 }] }).expect(200)).body;
      const ids = (body: { items: { orderId: string }[] }) => body.items.map((order) => order.orderId);

      const onHold = (await get('ann', `/api/orders?onHold=true&limit=500&minPosition=${shipped.position}`).expect(200)).body;
      expect(ids(onHold)).toContain(held.orderId);
      expect(ids(onHold)).not.toContain(partly.orderId);
      expect(onHold.items.every((order: { onHold: unknown }) => order.onHold !== null)).toBe(true);
      expect(onHold.items.find((order: { orderId: string }) => order.orderId === held.orderId).onHold).toMatchObject({ reason: 'address unclear', by: 'bob' });
      const notHeld = (await get('ann', '/api/orders?onHold=false&limit=500').expect(200)).body;
      expect(ids(notHeld)).toContain(partly.orderId);
      expect(ids(notHeld)).not.toContain(held.orderId);
      expect(notHeld.items.every((order: { onHold: unknown }) => order.onHold === null)).toBe(true);

      const partial = (await get('ann', '/api/orders?status=partially_shipped&limit=500').expect(200)).body;
      expect(ids(partial)).toContain(partly.orderId);
      expect(partial.items.every((order: { status: string }) => order.status === 'partially_shipped')).toBe(true);
      expect((await get('ann', '/api/orders?status=partially_shipped&onHold=true&limit=500').expect(200)).body.items).not.toContainEqual(expect.objectContaining({ orderId: partly.orderId }));

      const released = (await post('wang', `/api/orders/${held.orderId}/hold/release`, { note: 'called back' }).expect(200)).body;
      expect(ids((await get('ann', `/api/orders?onHold=true&limit=500&minPosition=${released.position}`).expect(200)).body)).not.toContain(held.orderId);
    });

    it('answers 304 to If-None-Match with the current ETag, and a new ETag once the order changes, payments included', async () => {
      const sku = await product(10);
      const placed = await sale(sku, 1);
      const first = await get('alice', `/api/orders/${placed.orderId}?minPosition=${placed.position}`).expect(200);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"\d+-.+"$/);
      expect((await get('alice', `/api/orders/${placed.orderId}`, { 'If-None-Match': etag })).status).toBe(304);

      const paid = (await post('fay', `/api/orders/${placed.orderId}/payments`, { amount: 500, method: 'card' }).expect(200)).body;
      const after = await get('alice', `/api/orders/${placed.orderId}?minPosition=${paid.position}`, { 'If-None-Match': etag });
      expect(after.status).toBe(200);
      expect(after.body.paid).toBe(500);
      expect(after.headers.etag).not.toBe(etag);
    });

    it('refuses bad query parameters with 400 naming each one', async () => {
      for (const [query, field] of [
        ['limit=abc', 'limit'],
        ['limit=0', 'limit'],
        ['limit=100000', 'limit'],
        ['kind=wizard', 'kind'],
        ['status=lost', 'status'],
        ['cancellation=maybe', 'cancellation'],
        ['onHold=yes', 'onHold'],
        ['from=yesterday', 'from'],
        ['minPosition=not%20a%20position', 'minPosition'],
        ['colour=red', 'colour'],
        ['cursor=garbage', 'cursor'],
      ]) {
        const response = await get('ann', `/api/orders?${query}`);
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        expect(response.body.error.code).toBe('validation_failed');
        expect(response.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
      expect((await get('aud', '/api/orders/x/state')).body.error.details.fields[0].field).toBe('asOf');
    });

    it('waits at most 5 s for a position the view has not reached, then answers what it has, marked stale', async () => {
      const response = await get('ann', '/api/orders?limit=1&minPosition=999999999').expect(200);
      expect(response.headers['x-jxc-stale']).toBe('true');
    }, 15_000);

    it('lets only the roles that read orders read them', async () => {
      expect((await get('int', '/api/orders')).status).toBe(200);
      expect((await get('int', '/api/orders/anything')).status).toBe(404);
      expect((await jxc.http.get('/api/orders')).status).toBe(401);
    });
  });

  describe('stock, product and party queries', () => {
    it('show the stock level after a sale, and alerts below min and above max until back in range', async () => {
      const sku = await product(10);
      await sale(sku, 4);
      const thresholds = (await jxc.http.put(`/api/stock/${sku}/thresholds`).set(jxc.as(keys.wang)).send({ min: 8, max: 20 }).expect(200)).body;
      const level = await get('int', `/api/stock/${sku}?minPosition=${thresholds.position ?? ''}`);
      if (thresholds.position === undefined) throw new Error(`the thresholds answer has no position: ${JSON.stringify(thresholds)}`);
      expect(level.status).toBe(200);
      expect(level.body).toMatchObject({ sku, warehouseId: 'main', onHand: 10, reserved: 4, available: 6, incoming: 0, min: 8, max: 20, alert: 'low' });
      const low = await get('int', `/api/stock?alert=low&minPosition=${thresholds.position}&limit=500`).expect(200);
      expect(low.body.items.map((item: { sku: string }) => item.sku)).toContain(sku);

      const received = (await post('wang', '/api/stock/receipts', { sku, quantity: 20 }).expect(201)).body;
      const high = await get('int', `/api/stock?alert=high&minPosition=${received.position}&limit=500`).expect(200);
      expect(high.body.items.map((item: { sku: string }) => item.sku)).toContain(sku);
      const stillLow = await get('int', '/api/stock?alert=low&limit=500').expect(200);
      expect(stillLow.body.items.map((item: { sku: string }) => item.sku)).not.toContain(sku);
      expect((await get('int', '/api/stock/NOPE-1')).status).toBe(404);
      expect((await get('int', '/api/stock?alert=medium')).body.error.details.fields[0].field).toBe('alert');
    });

    it('finds products by sku or name prefix, whatever the case, and answers parties', async () => {
      const sku = await product(0, 'Longjing Dragon Well');
      const other = await product(0, 'Biluochun');
      // Registrations answer no position: a stock receipt made after them is the barrier to wait for.
      const barrier = (await post('wang', '/api/stock/receipts', { sku: other, quantity: 1 }).expect(201)).body.position;
      const byName = await get('alice', `/api/products?q=LONGJ&minPosition=${barrier}`).expect(200);
      expect(byName.body.items.map((item: { sku: string }) => item.sku)).toContain(sku);
      expect(byName.body.items.map((item: { sku: string }) => item.sku)).not.toContain(other);
      const bySku = await get('alice', `/api/products?q=${sku.toLowerCase()}`).expect(200);
      expect(bySku.body.items[0]).toMatchObject({ sku, name: 'Longjing Dragon Well', price: 1000, unit: 'pcs' });
      expect(bySku.body.items[0]).not.toHaveProperty('nameLower');
      expect((await get('alice', `/api/products/${sku}`).expect(200)).body.name).toBe('Longjing Dragon Well');
      expect((await get('alice', '/api/products/NOPE')).status).toBe(404);
      expect((await get('alice', '/api/customers/cust-1').expect(200)).body).toMatchObject({ id: 'cust-1', name: 'Hangzhou Tea House' });
      expect((await get('alice', '/api/suppliers/sup-1').expect(200)).body.name).toBe('West Lake Tea Farm');
      expect((await get('alice', '/api/suppliers/cust-1')).status).toBe(404);
    });
  });

  describe('auditor tools over HTTP', () => {
    it('history shows the order, its stock movements and its money in log order, with who and why', async () => {
      const sku = await product(10);
      const placed = await sale(sku, 2);
      await post('fay', `/api/orders/${placed.orderId}/payments`, { amount: 2000, method: 'card' }).expect(200);
      await post('alice', `/api/orders/${placed.orderId}/cancellation`, { reason: 'found cheaper', initiatedBy: 'customer' }).expect(200);
      const approved = (await post('bob', `/api/orders/${placed.orderId}/cancellation/approve`, {}).expect(200)).body;
      expect(approved.status).toBe('cancelled');

      const history = await get('aud', `/api/orders/${placed.orderId}/history?minPosition=${approved.position}`).expect(200);
      const types = history.body.events.map((event: { type: string }) => event.type);
      expect(types).toEqual(['OrderPlaced', 'StockReserved', 'OrderReserved', 'PaymentReceived', 'CancellationRequested', 'CancellationApproved', 'StockReleased', 'RefundIssued', 'OrderCancelled']);
      const positions = history.body.events.map((event: { position: string }) => Number(event.position));
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(history.body.events[4]).toMatchObject({ streamId: `order-${placed.orderId}`, actor: { id: 'alice' }, reason: 'found cheaper' });
      expect(history.body.events[7]).toMatchObject({ streamId: `payment-${placed.orderId}`, data: { amount: 2000 } });
      expect((await get('alice', `/api/orders/${placed.orderId}/history`)).status).toBe(403);

      // As it was right after the payment, from the log: reserved, paid, no cancellation.
      const atPayment = await get('aud', `/api/orders/${placed.orderId}/state?atPosition=${history.body.events[3].position}`).expect(200);
      expect(atPayment.body).toMatchObject({ status: 'placed', paid: 2000, refunded: 0, cancellation: null, lines: [{ sku, reserved: 2 }], position: history.body.events[3].position });
      const now = await get('aud', `/api/orders/${placed.orderId}/state?asOf=${new Date(Date.now() + 60_000).toISOString()}`).expect(200);
      const { position: _p, ...finalAnswer } = approved;
      expect(now.body).toMatchObject({ ...finalAnswer, status: 'cancelled', refunded: 2000, lines: [expect.objectContaining({ reserved: 0 })] });
      expect((await get('aud', `/api/orders/${placed.orderId}/state?asOf=2000-01-01T00:00:00Z`)).status).toBe(404);

      const trail = await get('aud', `/api/audit?streamId=order-${placed.orderId}&type=CancellationApproved`).expect(200);
      expect(trail.body.items).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: 'bob' }), summary: expect.stringContaining('approved by bob') })]);
      const byActor = await get('ann', '/api/audit?actor=bob&limit=500').expect(200);
      expect(byActor.body.items.every((entry: { actor: { id: string } }) => entry.actor.id === 'bob')).toBe(true);
    });

    it('verifies the hash chains of the whole log', async () => {
      const response = await get('aud', '/api/audit/verify').expect(200);
      expect(response.body).toMatchObject({ ok: true, breaks: [] });
      expect(response.body.eventsChecked).toBeGreaterThan(10);
      expect((await get('ann', '/api/audit/verify')).status).toBe(403);
    });
  });

  describe('operations', () => {
    it('health shows each projection caught up, with its position and lag', async () => {
      const sku = await product(3);
      const placed = await sale(sku, 1);
      await get('ann', `/api/orders/${placed.orderId}?minPosition=${placed.position}`).expect(200);
      const health = await jxc.http.get('/api/health').expect(200);
      expect(health.body).toMatchObject({ status: 'ok', store: { kind: 'sqlite', status: 'ok' }, readStore: { kind: backend.kind } });
      expect(Object.keys(health.body.projections).sort()).toEqual(['audit_trail', 'cancellation_stats', 'customers', 'journal', 'orders', 'planning_demand', 'planning_purchases', 'products', 'stock_alerts', 'stock_levels', 'stock_transfers', 'suppliers', 'warehouses']);
      expect(health.body.projections.orders).toMatchObject({ group: 'orders', status: 'running', generation: '1', deadLetters: 0 });
      expect(typeof health.body.projections.orders.lag).toBe('number');
    });

    it('metrics are Prometheus text for any authenticated caller', async () => {
      const response = await get('int', '/api/metrics').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.text).toMatch(/jxc_projection_lag_events\{projection="orders"\} \d+/);
      expect(response.text).toMatch(/jxc_projection_events_total\{projection="audit_trail"\} \d+/);
      expect(response.text).toContain('jxc_projection_dead_letters{projection="orders"} 0');
      expect((await jxc.http.get('/api/metrics')).status).toBe(401);
    });

    it('describes every read route in the OpenAPI document', async () => {
      const paths = (await jxc.http.get('/api/docs-json').expect(200)).body.paths;
      for (const path of ['/api/orders', '/api/orders/{id}', '/api/orders/{id}/history', '/api/orders/{id}/state', '/api/stock', '/api/stock/{sku}', '/api/products', '/api/products/{sku}', '/api/customers/{id}', '/api/suppliers/{id}', '/api/audit', '/api/audit/verify', '/api/metrics', '/api/health']) {
        expect({ path, get: paths[path]?.get !== undefined }).toEqual({ path, get: true });
      }
    });
  });
}
