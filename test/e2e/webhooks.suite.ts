import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Config } from '../../src/platform/config/config.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { signatureHolds, WebhookReceiver } from '../support/webhook-receiver.js';
import { until } from '../support/until.js';

// Webhooks as an admin sets them up and an integrator receives them: a real HTTP receiver on loopback that fails,
// hangs and recovers. Retries are compressed for the test (JXC_WEBHOOK_BACKOFF_SCALE=0.0001: the 24 h window
// is 8.6 s; JXC_WEBHOOK_TIMEOUT_MS=300 instead of 10 s); everything else is the service as it runs. The
// webhooks and their deliveries live in the read store: the suite runs on SQLite views and, when MONGODB_URL
// is set, on MongoDB (webhooks.mongodb.e2e.spec.ts).

interface Delivery {
  eventId: string;
  type: string;
  streamId: string;
  position: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

interface WebhooksBackend {
  /** Config for the app: which read store. */
  overrides(): Partial<Config>;
  cleanUp?(): Promise<void>;
}

export function webhooksSuite(backend: WebhooksBackend): void {
  const SECRET = 'whsec-0123456789abcdef';
  let jxc: RunningApp;
  let receiver: WebhookReceiver;
  let base: string;
  const saved = { scale: process.env.JXC_WEBHOOK_BACKOFF_SCALE, timeout: process.env.JXC_WEBHOOK_TIMEOUT_MS };

  const admin = () => jxc.as(ADMIN_KEY);
  const register = (body: object) => jxc.http.post('/api/webhooks').set(admin()).send(body);
  const deliveries = async (webhookId: string, query = ''): Promise<Delivery[]> => (await jxc.http.get(`/api/webhooks/${webhookId}/deliveries${query}`).set(admin()).expect(200)).body.items as Delivery[];

  async function placeSale(orderId: string, quantity = 1): Promise<void> {
    await jxc.http.post('/api/orders').set(admin()).send({ orderId, kind: 'sale', partyId: 'C-1', lines: [{ sku: 'TEA-1', quantity }] }).expect(201);
  }

  beforeAll(async () => {
    process.env.JXC_WEBHOOK_BACKOFF_SCALE = '0.0001';
    process.env.JXC_WEBHOOK_TIMEOUT_MS = '300';
    receiver = new WebhookReceiver();
    base = await receiver.start();
    jxc = await startApp(backend.overrides());
    await jxc.http.post('/api/products').set(admin()).send({ sku: 'TEA-1', name: 'Longjing 250 g', price: 1999 }).expect(201);
    await jxc.http.post('/api/stock/receipts').set(admin()).send({ sku: 'TEA-1', quantity: 1000 }).expect(201);
    await jxc.http.post('/api/customers').set(admin()).send({ id: 'C-1', name: 'Wang Fang', phone: '13800000000' }).expect(201);
  });

  afterAll(async () => {
    await jxc?.close();
    await receiver?.stop();
    await backend.cleanUp?.();
    process.env.JXC_WEBHOOK_BACKOFF_SCALE = saved.scale;
    process.env.JXC_WEBHOOK_TIMEOUT_MS = saved.timeout;
    if (saved.scale === undefined) delete process.env.JXC_WEBHOOK_BACKOFF_SCALE;
    if (saved.timeout === undefined) delete process.env.JXC_WEBHOOK_TIMEOUT_MS;
  });

  describe('registering webhooks', () => {
    it('creates, lists and deletes a webhook without ever answering its secret', async () => {
      const created = await register({ url: `${base}/listed`, types: ['OrderPlaced'], secret: SECRET }).expect(201);
      expect(created.body).toEqual({ webhookId: expect.any(String), url: `${base}/listed`, types: ['OrderPlaced'], createdAt: expect.any(String) });
      const listed = await jxc.http.get('/api/webhooks').set(admin()).expect(200);
      expect(listed.body.items).toContainEqual(created.body);
      expect(JSON.stringify(listed.body)).not.toContain(SECRET);
      await jxc.http.delete(`/api/webhooks/${created.body.webhookId}`).set(admin()).expect(204);
      await jxc.http.delete(`/api/webhooks/${created.body.webhookId}`).set(admin()).expect(204);
      expect((await jxc.http.get('/api/webhooks').set(admin()).expect(200)).body.items).not.toContainEqual(created.body);
      expect((await jxc.http.get(`/api/webhooks/${created.body.webhookId}/deliveries`).set(admin())).status).toBe(404);
      expect((await jxc.http.delete('/api/webhooks/no-such-hook').set(admin())).status).toBe(404);
    });

    it('is for admin only', async () => {
      for (const role of ['integration', 'auditor', 'clerk'] as const) {
        const key = await jxc.keyFor(`hooks-${role}`, role);
        expect((await jxc.http.get('/api/webhooks').set(jxc.as(key))).status).toBe(403);
        expect((await jxc.http.post('/api/webhooks').set(jxc.as(key)).send({ url: `${base}/x`, types: ['*'], secret: SECRET })).status).toBe(403);
      }
    });

    it.each([
      [{ url: 'ftp://example.com/x', types: ['*'], secret: SECRET }, 'url'],
      [{ url: 'not a url', types: ['*'], secret: SECRET }, 'url'],
      [{ url: 'http://127.0.0.1/x', types: [], secret: SECRET }, 'types'],
      [{ url: 'http://127.0.0.1/x', types: ['order placed'], secret: SECRET }, 'types'],
      [{ url: 'http://127.0.0.1/x', types: ['*'], secret: 'short' }, 'secret'],
      [{ url: 'http://127.0.0.1/x', types: ['*'] }, 'secret'],
    ])('refuses %j with 400 naming %s, appending nothing', async (body, field) => {
      const before = (await jxc.http.get('/api/webhooks').set(admin()).expect(200)).body.items.length;
      const response = await register(body);
      expect(response.status).toBe(400);
      expect(response.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect((await jxc.http.get('/api/webhooks').set(admin()).expect(200)).body.items).toHaveLength(before);
    });
  });

  describe('deliveries', () => {
    it('POSTs each matching event from the registration on, signed, with the feed item as the body', async () => {
      await placeSale('SO-BEFORE');
      const hook = (await register({ url: `${base}/signed`, types: ['OrderPlaced', 'OrderReserved'], secret: SECRET }).expect(201)).body;
      await placeSale('SO-W1');
      const got = await until('two deliveries', () => {
        const found = receiver.delivered('/signed');
        return found.length >= 2 ? found : undefined;
      });
      expect(got.map((item) => JSON.parse(item.body).type)).toEqual(['OrderPlaced', 'OrderReserved']);
      for (const item of got) {
        expect(signatureHolds(SECRET, item)).toBe(true);
        expect(signatureHolds('another-secret-0123', item)).toBe(false);
        expect(Math.abs(Number(item.timestamp) - Date.now() / 1000)).toBeLessThan(60);
        const body = JSON.parse(item.body);
        expect(body.eventId).toBe(item.eventId);
        const feed = (await jxc.http.get(`/api/feed?after=${BigInt(body.position) - 1n}&limit=1`).set(admin()).expect(200)).body.items[0];
        expect(body).toEqual(feed);
      }
      expect(receiver.received.some((item) => item.body.includes('SO-BEFORE'))).toBe(false);
      const listed = await until('delivered', async () => {
        const items = await deliveries(hook.webhookId);
        return items.length === 2 && items.every((item) => item.status === 'delivered') ? items : undefined;
      });
      expect(listed[0]).toMatchObject({ type: 'OrderReserved', status: 'delivered', attempts: 1, lastStatus: 200, lastError: null, nextAttemptAt: null });
    });

    it('retries a 500 and a receiver that does not answer, in log order per stream, until it recovers', async () => {
      const hook = (await register({ url: `${base}/flaky`, types: ['*'], secret: SECRET }).expect(201)).body;
      const failures = new Map<string, number>();
      receiver.behaviour = (request) => {
        if (request.path !== '/flaky') return 200;
        const count = (failures.get(request.eventId) ?? 0) + 1;
        failures.set(request.eventId, count);
        return count === 1 ? 500 : count === 2 ? 'hang' : 200;
      };
      for (let i = 0; i < 3; i++) await placeSale(`SO-FLAKY-${i}`);
      const listed = await until('every delivery delivered', async () => {
        const items = await deliveries(hook.webhookId, '?limit=500');
        return items.length >= 9 && items.every((item) => item.status === 'delivered') ? items : undefined;
      });
      for (const item of listed) expect(item).toMatchObject({ attempts: 3, lastStatus: 200, lastError: null });
      const firsts = receiver.delivered('/flaky').map((item) => JSON.parse(item.body) as { streamId: string; revision: number });
      expect(firsts).toHaveLength(listed.length);
      for (const streamId of new Set(firsts.map((item) => item.streamId))) {
        const revisions = firsts.filter((item) => item.streamId === streamId).map((item) => item.revision);
        expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      }
      receiver.behaviour = () => 200;
    });

    it('gives up after the retry window (dead), lists it, and sends it again on request', async () => {
      const hook = (await register({ url: `${base}/down`, types: ['OrderPlaced'], secret: SECRET }).expect(201)).body;
      receiver.behaviour = (request) => (request.path === '/down' ? 503 : 200);
      await placeSale('SO-DEAD');
      const dead = await until('a dead delivery', async () => (await deliveries(hook.webhookId, '?status=dead'))[0], 30_000);
      expect(dead).toMatchObject({ type: 'OrderPlaced', status: 'dead', lastStatus: 503, lastError: 'the receiver answered 503', nextAttemptAt: null, deliveredAt: null });
      expect(dead.attempts).toBeGreaterThan(3);
      expect(await deliveries(hook.webhookId, '?status=pending')).toEqual([]);
      receiver.behaviour = () => 200;
      const retried = await jxc.http.post(`/api/webhooks/${hook.webhookId}/deliveries/${dead.eventId}/retry`).set(admin()).expect(200);
      expect(retried.body).toMatchObject({ eventId: dead.eventId, status: 'pending' });
      await until('re-sent', async () => ((await deliveries(hook.webhookId))[0]?.status === 'delivered' ? true : undefined));
      expect(receiver.delivered('/down').map((item) => item.eventId)).toEqual([dead.eventId]);
      expect((await jxc.http.post(`/api/webhooks/${hook.webhookId}/deliveries/0193f1f2-9c3e-7d2a-8a51-3c2b8f0e4d21/retry`).set(admin())).status).toBe(404);
      expect((await jxc.http.post(`/api/webhooks/${hook.webhookId}/deliveries/not-an-id/retry`).set(admin())).status).toBe(400);
      const metrics = (await jxc.http.get('/api/metrics').set(admin()).expect(200)).text;
      expect(metrics).toMatch(/^jxc_webhook_attempts_total\{outcome="dead"\} 1$/m);
      expect(Number(/^jxc_webhook_attempts_total\{outcome="failed"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(3);
      expect(metrics).toMatch(/^jxc_webhook_deliveries_queued \d+$/m);
    }, 60_000);

    it("sends an erased customer's personal data as null once the erasure is done, even for an event before it", async () => {
      const hook = (await register({ url: `${base}/crm`, types: ['CustomerRegistered'], secret: SECRET }).expect(201)).body;
      receiver.behaviour = (request) => (request.path === '/crm' ? 500 : 200);
      await jxc.http.post('/api/customers').set(admin()).send({ id: 'C-ERASED', name: 'Li Lei', phone: '13900000000', email: 'li@example.com' }).expect(201);
      await until('a failed attempt', () => (receiver.received.some((item) => item.path === '/crm') ? true : undefined));
      await jxc.http.post('/api/customers/C-ERASED/erase').set(admin()).send({ reason: 'asked by the customer' }).expect(200);
      receiver.behaviour = () => 200;
      const [delivered] = await until('the delivery', () => {
        const found = receiver.delivered('/crm');
        return found.length > 0 ? found : undefined;
      });
      const body = JSON.parse(delivered.body);
      expect(body).toMatchObject({ type: 'CustomerRegistered', data: { id: 'C-ERASED', name: null, phone: null, email: null } });
      expect(delivered.body).not.toContain('Li Lei');
      expect(delivered.body).not.toContain('13900000000');
      expect(delivered.body).not.toContain('jxc:pii');
      expect(receiver.received.filter((item) => item.path === '/crm').every((item) => !item.body.includes('jxc:pii'))).toBe(true);
      expect(await deliveries(hook.webhookId)).toHaveLength(1);
    });

    it('answers commands while a receiver holds every request, with at most 4 requests open to it at once', async () => {
      // A service of its own with a 5 s receiver timeout: no attempt times out while the test watches, so what the
      // receiver sees open is exactly what jxc holds open (with 300 ms, a retry could reach the receiver before the
      // close of the attempt jxc had given up, and the receiver would count both).
      process.env.JXC_WEBHOOK_TIMEOUT_MS = '5000';
      const own = await startApp({ mongodbUrl: undefined });
      process.env.JXC_WEBHOOK_TIMEOUT_MS = '300';
      const tarpit = new WebhookReceiver();
      const tarpitBase = await tarpit.start();
      try {
        const ownAdmin = own.as(ADMIN_KEY);
        await own.http.post('/api/products').set(ownAdmin).send({ sku: 'TEA-1', name: 'Longjing 250 g', price: 1999 }).expect(201);
        await own.http.post('/api/stock/receipts').set(ownAdmin).send({ sku: 'TEA-1', quantity: 100 }).expect(201);
        await own.http.post('/api/customers').set(ownAdmin).send({ id: 'C-1', name: 'Wang Fang' }).expect(201);
        const hook = (await own.http.post('/api/webhooks').set(ownAdmin).send({ url: `${tarpitBase}/tarpit`, types: ['*'], secret: SECRET }).expect(201)).body;
        tarpit.behaviour = () => 'hang';
        const placed = await Promise.all(Array.from({ length: 10 }, (_, i) => own.http.post('/api/orders').set(ownAdmin).send({ orderId: `SO-TARPIT-${i}`, kind: 'sale', partyId: 'C-1', lines: [{ sku: 'TEA-1', quantity: 1 }] })));
        expect(placed.map((response) => response.status)).toEqual(Array(10).fill(201));
        await until('requests held by the receiver', () => (tarpit.received.length >= 4 ? true : undefined));
        // Dozens of deliveries are due; while the receiver holds 4, no fifth request is sent.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(tarpit.received).toHaveLength(4);
        expect(tarpit.maxOpen).toBe(4);
        const listed = (await own.http.get(`/api/webhooks/${hook.webhookId}/deliveries?limit=500`).set(ownAdmin).expect(200)).body.items as Delivery[];
        expect(listed.length).toBeGreaterThan(4);
        expect(listed.filter((item) => item.status === 'delivered')).toEqual([]);
      } finally {
        await tarpit.stop();
        await own.close();
      }
    });

    it('sends nothing to a deleted webhook', async () => {
      const hook = (await register({ url: `${base}/gone`, types: ['OrderPlaced'], secret: SECRET }).expect(201)).body;
      await jxc.http.delete(`/api/webhooks/${hook.webhookId}`).set(admin()).expect(204);
      await placeSale('SO-AFTER-DELETE');
      const marker = (await register({ url: `${base}/marker`, types: ['OrderPlaced'], secret: SECRET }).expect(201)).body;
      await placeSale('SO-MARKER');
      await until('the marker', () => (receiver.delivered('/marker').length > 0 ? true : undefined));
      expect(receiver.received.filter((item) => item.path === '/gone')).toEqual([]);
      expect(marker.webhookId).not.toBe(hook.webhookId);
    });
  });
}
