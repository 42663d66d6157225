import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { isBusinessEvent } from '../../src/integrations/feed/feed-item.js';
import { type ServiceProcess, startService, stopService } from '../support/service-process.js';
import { signatureHolds, WebhookReceiver } from '../support/webhook-receiver.js';

// Webhooks under SIGKILL: the built service (dist/src/main.js) delivers every business event to a real receiver
// on loopback that fails (500), hangs (no answer: a timeout) and is down for a while, and the service is killed
// many times while orders are placed and deliveries are pending. Once the receiver recovers, every event appended
// after the registration has been received, none is missing, duplicates are only re-sends of the same event
// (same X-Jxc-Event-Id, same body), every signature holds, and per stream the events arrived in log order.
// Retries are compressed (JXC_WEBHOOK_BACKOFF_SCALE=0.005: waits from 12-25 ms up to 18 s, and the 24 h window is
// 7 min, longer than the test even on a loaded machine, so no delivery may die; a 1 s timeout, since a loaded
// machine can take longer than 200 ms to answer and jxc then retries what the receiver already has).
const ROUNDS = Number(process.env.JXC_WEBHOOK_CRASH_ROUNDS ?? 5);
const ADMIN = 'webhook-crash-admin-0123456789';
const SECRET = 'crash-webhook-secret-0123';
const ENV = { JXC_WEBHOOK_BACKOFF_SCALE: '0.005', JXC_WEBHOOK_TIMEOUT_MS: '1000' };

/** startService, tried again when a loaded machine makes the start slower than its 30 s wait. */
async function start(dataDir: string): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startService(dataDir, ADMIN, ENV);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('did not start')) throw error;
    }
  }
}

async function call(url: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface LoggedEvent {
  eventId: string;
  streamId: string;
  revision: number;
  position: bigint;
}

/** The business events of the log after the webhook's registration, read from the file. */
async function eventsAfterRegistration(dataDir: string, webhookId: string): Promise<LoggedEvent[]> {
  const store = SqliteEventStore.open({ dataDir, durability: 'full', fileName: 'events.sqlite' });
  try {
    let registeredAt: bigint | undefined;
    const found: LoggedEvent[] = [];
    for await (const event of store.readAll()) {
      if (event.streamId === `webhook-${webhookId}`) registeredAt ??= BigInt(event.position);
      else if (registeredAt !== undefined && isBusinessEvent(event)) found.push({ eventId: event.eventId, streamId: event.streamId, revision: Number(event.revision), position: BigInt(event.position) });
    }
    return found;
  } finally {
    await store.close();
  }
}

describe('webhooks under SIGKILL', () => {
  it(`deliver every event at least once, in order per stream, across ${ROUNDS} kills and a flaky receiver`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-crash-webhooks-'));
    const receiver = new WebhookReceiver();
    const base = await receiver.start();
    let down = false;
    receiver.behaviour = () => {
      if (down) return 500;
      const draw = Math.random();
      return draw < 0.25 ? 500 : draw < 0.35 ? 'hang' : 200;
    };
    let service = await start(dataDir);
    try {
      await call(service.url, '/customers', { id: 'C-1', name: 'Crash Customer' });
      await call(service.url, '/products', { sku: 'TEA-1', name: 'Tea', price: 999 });
      await call(service.url, '/stock/receipts', { sku: 'TEA-1', quantity: 100_000 });
      const hook = await call(service.url, '/webhooks', { url: `${base}/events`, types: ['*'], secret: SECRET });
      expect(hook.status).toBe(201);
      const webhookId = String(hook.body.webhookId);

      /** How many requests the receiver had got at each kill. */
      const kills: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Every other round the receiver is down when the kill comes: deliveries are pending across the restart.
        down = round % 2 === 1;
        const lives = Array.from({ length: 6 }, async (_, i) => {
          const orderId = `r${round}-o${i}`;
          const placed = await call(service.url, '/orders', { orderId, kind: 'sale', partyId: 'C-1', lines: [{ sku: 'TEA-1', quantity: 1 + i }] });
          if (placed.status === 201) await call(service.url, `/orders/${orderId}/payments`, { amount: 999, method: 'card' });
        });
        // The machine may be slow: the kill comes once some orders are answered, while the others are in flight.
        await Promise.race([Promise.allSettled(lives.slice(0, 3)), new Promise((resolve) => setTimeout(resolve, 15_000))]);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 100)));
        kills.push(receiver.received.length);
        await stopService(service, 'SIGKILL');
        await Promise.allSettled(lives);
        service = await start(dataDir);
      }
      down = false;
      receiver.behaviour = () => 200;

      // The last start finishes what the kills interrupted (processes append more events): read the log again
      // until everything in it has been received.
      let expected: LoggedEvent[] = [];
      const missing = () => {
        const delivered = new Set(receiver.delivered().map((item) => item.eventId));
        return expected.filter((event) => !delivered.has(event.eventId));
      };
      const deadline = Date.now() + 120_000;
      do {
        await new Promise((resolve) => setTimeout(resolve, 250));
        expected = await eventsAfterRegistration(dataDir, webhookId);
      } while ((missing().length > 0 || receiver.delivered().length < expected.length) && Date.now() < deadline);
      // Each missing event with its delivery as the service records it (status, attempts, nextAttemptAt, lastError),
      // so a failure says whether jxc never queued it, gave it up, or still waits on an attempt.
      const unfinished: { eventId: string }[] = [];
      for (const status of ['pending', 'dead']) {
        const page = await call(service.url, `/webhooks/${webhookId}/deliveries?limit=500&status=${status}`).catch(() => ({ body: { items: [] } }));
        unfinished.push(...((page.body.items as { eventId: string }[] | undefined) ?? []));
      }
      const missingWithDelivery = missing().map((event) => ({
        ...event,
        position: String(event.position),
        delivery: unfinished.find((item) => item.eventId === event.eventId) ?? 'neither pending nor dead (delivered, or never queued)',
      }));
      expect(missingWithDelivery).toEqual([]);
      expect(expected.length).toBeGreaterThan(ROUNDS * 4);

      // Only events after the registration, each body the same on every re-send, every signature verifiable.
      const byId = new Map(expected.map((event) => [event.eventId, event]));
      const bodies = new Map<string, string>();
      for (const request of receiver.received) {
        expect(byId.has(request.eventId)).toBe(true);
        expect(signatureHolds(SECRET, request)).toBe(true);
        expect(JSON.parse(request.body).eventId).toBe(request.eventId);
        expect(bodies.get(request.eventId) ?? request.body).toBe(request.body);
        bodies.set(request.eventId, request.body);
      }
      // The receiver failed and hung on the way, so retries happened; and some event refused before a kill was
      // delivered after the restart (its delivery was pending across the kill).
      expect(receiver.received.length).toBeGreaterThan(expected.length);
      const ok = (answered: number | null) => answered !== null && answered < 300;
      const acrossKill = kills.some((mark) => {
        const failedBefore = new Set(receiver.received.slice(0, mark).filter((request) => !ok(request.answered)).map((request) => request.eventId));
        const deliveredBefore = new Set(receiver.received.slice(0, mark).filter((request) => ok(request.answered)).map((request) => request.eventId));
        return receiver.received.slice(mark).some((request) => ok(request.answered) && failedBefore.has(request.eventId) && !deliveredBefore.has(request.eventId));
      });
      expect(acrossKill).toBe(true);

      // Per stream, the first successful receipt of each event came in log order.
      const firsts = receiver.delivered().map((request) => byId.get(request.eventId)!);
      for (const streamId of new Set(firsts.map((event) => event.streamId))) {
        const revisions = firsts.filter((event) => event.streamId === streamId).map((event) => event.revision);
        expect({ streamId, revisions }).toEqual({ streamId, revisions: [...revisions].sort((a, b) => a - b) });
      }

      // The service's own account agrees: one delivery per event, every one delivered (a delivery whose answer came
      // after the timeout is retried after up to 18 s, the longest compressed wait, before it is recorded delivered).
      let listed: { eventId: string; status: string }[] = [];
      const until = Date.now() + 60_000;
      do {
        listed = [];
        let cursor: unknown;
        do {
          const page = await call(service.url, `/webhooks/${webhookId}/deliveries?limit=500${cursor ? `&cursor=${encodeURIComponent(String(cursor))}` : ''}`);
          listed.push(...(page.body.items as { eventId: string; status: string }[]));
          cursor = page.body.nextCursor;
        } while (cursor);
      } while (listed.some((item) => item.status !== 'delivered') && Date.now() < until && (await new Promise((resolve) => setTimeout(resolve, 100))) === undefined);
      expect(listed.map((item) => item.eventId).sort()).toEqual(expected.map((event) => event.eventId).sort());
      expect(listed.filter((item) => item.status !== 'delivered')).toEqual([]);
    } finally {
      await stopService(service, 'SIGKILL');
      await receiver.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 420_000);
});
