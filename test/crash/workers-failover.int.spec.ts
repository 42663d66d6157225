import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { orderStream } from '../../domain/index.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { orderAggregate } from '../../src/platform/write-model/aggregates.js';

import { stopService } from '../support/service-process.js';
import { unsettledOrders } from '../support/settlement.js';
import { clusterHealth, eventually, httpCall, pidOf, startWorkers } from '../support/workers.js';

// JXC_WORKERS=2 (dist/src/main.js, run `npm run build` first). The leader (the process holding the lease, which runs
// the projections and the process recovery) is SIGKILLed; the other process must take the lease over, and with it
// the views and the recovery of a process step the dead leader left undone.
const ADMIN = 'workers-admin-key-0123456789';
/** LEASE_TTL_MS (5 s) + one renewal period (1 s), with room for a loaded machine. */
const TAKE_OVER_WITHIN_MS = 30_000;

describe('JXC_WORKERS=2: the leader SIGKILLed', () => {
  it('another process takes the lease, projects a new order (minPosition read) and finishes a stalled placement', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-workers-failover-'));
    const service = await startWorkers(dataDir, ADMIN, 2);
    try {
      const admin = (method: string, path: string, body?: unknown) => httpCall(service.url, ADMIN, method, path, body);
      expect((await admin('POST', '/customers', { id: 'f-cust', name: 'Failover Customer' })).status).toBe(201);
      expect((await admin('POST', '/products', { sku: 'F-1', name: 'Failover item', price: 100 })).status).toBe(201);
      expect((await admin('POST', '/stock/receipts', { sku: 'F-1', quantity: 10 })).status).toBe(201);

      const before = await clusterHealth(service.url);
      expect(before.workers).toBe(2);
      expect(before.leaderId).not.toBeNull();
      const leaderPid = pidOf(before.leaderId!);
      // Both processes say who leads: the follower too.
      const views = await Promise.all(Array.from({ length: 6 }, () => clusterHealth(service.url)));
      expect(views.some((view) => !view.leader && view.leaderId === before.leaderId)).toBe(true);

      process.kill(leaderPid, 'SIGKILL');
      const killedAt = Date.now();

      // A placement whose process never ran (as if a process had crashed right after appending it): only the
      // recovery of the next leader can reserve its stock.
      const stalledId = randomUUID();
      const store = SqliteEventStore.open({ dataDir, durability: 'full' });
      try {
        await new AggregateRepository(store).execute(
          orderAggregate,
          orderStream(stalledId),
          { type: 'PlaceOrder', orderId: stalledId, kind: 'sale', partyId: 'f-cust', warehouseId: 'main', currency: 'CNY', lines: [{ sku: 'F-1', quantity: 2, unitPrice: 100 }] },
          { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor: { id: 'admin', roles: ['admin'] }, now: new Date().toISOString() },
        );
      } finally {
        await store.close();
      }

      const after = await eventually('a new leader', TAKE_OVER_WITHIN_MS, async () => {
        const health = await clusterHealth(service.url);
        return health.leaderId !== null && health.leaderId !== before.leaderId && health.leaseGeneration > before.leaseGeneration ? health : undefined;
      });
      const tookOverMs = Date.now() - killedAt;
      expect(pidOf(after.leaderId!)).not.toBe(leaderPid);
      expect(tookOverMs).toBeLessThan(TAKE_OVER_WITHIN_MS);

      // A new order is projected by the new leader: read back with minPosition through whichever process answers.
      const placed = await admin('POST', '/orders', { kind: 'sale', partyId: 'f-cust', lines: [{ sku: 'F-1', quantity: 1, unitPrice: 100 }] });
      expect(placed.status).toBe(201);
      const read = await eventually('the new order in the orders view', 30_000, async () => {
        const answer = await admin('GET', `/orders/${String(placed.body.orderId)}?minPosition=${String(placed.body.position)}`);
        return answer.status === 200 && answer.headers['x-jxc-stale'] === undefined ? answer : undefined;
      });
      expect(read.body).toMatchObject({ orderId: placed.body.orderId, status: 'placed' });

      // The stalled placement is finished by the new leader's recovery: its stock reserved, the order settled.
      await eventually('the stalled placement recovered', 30_000, async () => {
        const snapshot = SqliteEventStore.open({ dataDir, durability: 'full' });
        try {
          return (await unsettledOrders(new AggregateRepository(snapshot), [stalledId])).length === 0 ? true : undefined;
        } finally {
          await snapshot.close();
        }
      });
      const stock = await eventually('the stock view after the recovery', 30_000, async () => {
        const answer = await admin('GET', `/stock/F-1?minPosition=${String(placed.body.position)}`);
        return answer.status === 200 && answer.body.reserved === 3 ? answer : undefined;
      });
      expect(stock.body).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    } finally {
      await stopService(service, 'SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Start-up, take-over and three waits of up to 30 s each: each wait fails with its own message well before this.
  }, 240_000);
});
