import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { orderStream, paymentStream, stockStream } from '../../domain/index.js';
import { reservedFor } from '../../domain/stock/state.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { orderAggregate, paymentAggregate, stockAggregate } from '../../src/platform/write-model/aggregates.js';

import { startService, stopService } from '../support/service-process.js';
import { unsettledOrders } from '../support/settlement.js';

// Kills the real service (dist/src/main.js) with SIGKILL at a random moment while placements, payments
// and approved cancellations are in flight, many times over one data directory; then checks that every
// order converged: what a crash interrupted, the recovery path finished, and nothing happened twice.
const RUNS = Number(process.env.JXC_CRASH_RUNS ?? 30);
const ADMIN = 'crash-admin-key-0123456789';
const SKUS = ['CRASH-A', 'CRASH-B', 'CRASH-C'];
const SNAPSHOTS_OFTEN = { JXC_SNAPSHOT_EVERY: '5' };

async function call(url: string, key: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

type Phase = 'place' | 'pay' | 'cancel' | 'approve';
const PHASES: readonly Phase[] = ['place', 'pay', 'cancel', 'approve'];

/**
 * One order's life as far as the crash lets it go: place, pay, ask to cancel, approve. `reached` is told
 * as each request is sent, so a run can aim its kill at one phase whatever the machine's load.
 */
async function orderLife(url: string, keys: { clerk: string; approver: string }, orderId: string, sku: string, reached: (phase: Phase) => void): Promise<void> {
  reached('place');
  const placed = await call(url, keys.clerk, '/orders', { orderId, kind: 'sale', partyId: 'crash-customer', lines: [{ sku, quantity: 1 + (orderId.length % 3), unitPrice: 999 }] });
  if (placed.status !== 201) return;
  reached('pay');
  await call(url, keys.clerk, `/orders/${orderId}/payments`, { amount: 999, method: 'card' });
  if (orderId.endsWith('7')) return; // some orders stay placed
  reached('cancel');
  await call(url, keys.clerk, `/orders/${orderId}/cancellation`, { reason: 'crash test', initiatedBy: 'customer' });
  reached('approve');
  await call(url, keys.approver, `/orders/${orderId}/cancellation/approve`, {});
}

/** Resolves when some order of the run first sends a request of `phase` (or after `ms`, if none does). */
function phaseWatch(phase: Phase, ms: number) {
  let reach!: () => void;
  const reachedPhase = new Promise<void>((resolve) => {
    reach = resolve;
    setTimeout(resolve, ms).unref();
  });
  return { reached: (p: Phase) => p === phase && reach(), reachedPhase };
}

describe('order processes under SIGKILL', () => {
  it(`converge after ${RUNS} kills during placements and cancellations: no reservation left, nothing released or refunded twice, refund = paid`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-crash-processes-'));
    try {
      // A snapshot every 5 events: each SKU's position is loaded in part from its partitioned snapshot after most kills.
      let service = await startService(dataDir, ADMIN, SNAPSHOTS_OFTEN);
      const admin = (path: string, body: unknown) => call(service.url, ADMIN, path, body);
      const keys = { clerk: String((await admin('/keys', { userId: 'clerk', roles: ['clerk'] })).body.key), approver: String((await admin('/keys', { userId: 'approver', roles: ['approver'] })).body.key) };
      await admin('/customers', { id: 'crash-customer', name: 'Crash Customer' });
      for (const sku of SKUS) {
        await admin('/products', { sku, name: sku, price: 999 });
        await admin('/stock/receipts', { sku, quantity: 100_000 });
      }

      const orderIds: string[] = [];
      for (let run = 0; run < RUNS; run++) {
        // Each run aims its kill at one phase of the orders' lives (a fixed delay would, on a loaded machine,
        // kill every run before any cancellation was asked): soon after the phase's first request, by a random lag.
        const watch = phaseWatch(PHASES[run % PHASES.length], 20_000);
        const lives = Array.from({ length: 12 }, (_, i) => {
          const orderId = `r${run}-o${i}`;
          orderIds.push(orderId);
          return orderLife(service.url, keys, orderId, SKUS[i % SKUS.length], watch.reached).catch(() => undefined);
        });
        await watch.reachedPhase;
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 120)));
        await stopService(service, 'SIGKILL');
        await Promise.all(lives);
        service = await startService(dataDir, ADMIN, SNAPSHOTS_OFTEN);
      }

      // The last start runs the recovery path over what the kills interrupted; wait until it settled.
      const store = () => SqliteEventStore.open({ dataDir, durability: 'full', fileName: 'events.sqlite' });
      const deadline = Date.now() + 60_000;
      let pending: string[] = [];
      do {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const snapshot = store();
        try {
          pending = await unsettledOrders(new AggregateRepository(snapshot), orderIds);
        } finally {
          await snapshot.close();
        }
      } while (pending.length > 0 && Date.now() < deadline);
      service.child.kill('SIGTERM');
      await new Promise((resolve) => service.child.once('exit', resolve));
      expect(pending).toEqual([]);

      const final = store();
      try {
        const repository = new AggregateRepository(final);
        const releases = new Map<string, number>();
        const refunds = new Map<string, number>();
        for await (const event of final.readAll()) {
          const orderId = (event.data as { orderId?: string }).orderId;
          if (event.type === 'StockReleased') releases.set(`${orderId}/${event.streamId}`, (releases.get(`${orderId}/${event.streamId}`) ?? 0) + 1);
          if (event.type === 'RefundIssued') refunds.set(String(orderId), (refunds.get(String(orderId)) ?? 0) + 1);
        }
        expect([...releases.values()].filter((count) => count > 1)).toEqual([]);
        expect([...refunds.values()].filter((count) => count > 1)).toEqual([]);

        let cancelled = 0;
        for (const orderId of orderIds) {
          const order = (await repository.load(orderAggregate, orderStream(orderId))).state;
          if (order === null) continue;
          const payment = (await repository.load(paymentAggregate, paymentStream(orderId))).state;
          const stock = (await repository.load(stockAggregate, stockStream('main', order.lines[0].sku))).state;
          const entry = reservedFor(stock, orderId);
          if (order.status === 'cancelled') {
            cancelled++;
            expect({ orderId, reserved: entry, refunded: payment.refunded }).toEqual({ orderId, reserved: 0, refunded: payment.paid });
          } else if (order.status === 'placed') {
            expect({ orderId, reserved: entry }).toEqual({ orderId, reserved: order.lines[0].quantity });
          }
        }
        expect(cancelled).toBeGreaterThan(0);
        // Nothing shipped: on hand is untouched, and reserved is exactly what the placed orders hold.
        for (const sku of SKUS) {
          const stock = (await repository.load(stockAggregate, stockStream('main', sku))).state;
          let held = 0;
          for (const orderId of orderIds) held += reservedFor(stock, orderId);
          expect({ sku, onHand: stock.onHand, reserved: stock.reserved }).toEqual({ sku, onHand: 100_000, reserved: held });
        }
      } finally {
        await final.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});

