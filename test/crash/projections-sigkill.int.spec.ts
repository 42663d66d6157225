import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PROJECTED_VIEWS, ensureViews } from '../../src/platform/projection-runner/view-catalog.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { generationCheckpointName } from '../../src/platform/read-store/read-store.port.js';
import { runJxc } from '../support/cli.js';

import { type ServiceProcess, startService, stopService } from '../support/service-process.js';

// Kills the real service (dist/src/main.js) with SIGKILL while orders pour in and its projections
// are behind or catching up, RUNS times over one data directory. Every other time, while it is
// down, the views' checkpoints are also moved back behind their documents, as a store without
// atomic batches (MongoDB) can leave them: the next start replays events its documents already
// hold and is killed again while catching up. After a last start has caught up, every view must
// equal a fresh replay of the log: `jxc projections verify` exits 0 (and 1 once a document is corrupted).
const RUNS = Number(process.env.JXC_PROJECTION_CRASH_RUNS ?? 8);
const ADMIN = 'crash-admin-key-0123456789';
const SKUS = ['PCRASH-A', 'PCRASH-B', 'PCRASH-C', 'PCRASH-D'];


interface Health {
  readonly projections: Record<string, { lag: number | null; caughtUp: boolean; generation: string }>;
}




async function health(service: ServiceProcess): Promise<Health> {
  return (await (await fetch(`${service.url}/health`)).json()) as Health;
}

async function call(url: string, key: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Keys {
  readonly clerk: string;
  readonly approver: string;
}

/** Orders of every shape the views show: paid, cancelled (stats), purchases (incoming stock). */
async function orderLife(url: string, keys: Keys, n: number): Promise<void> {
  const sku = SKUS[n % SKUS.length];
  if (n % 7 === 3) {
    await call(url, ADMIN, '/orders', { kind: 'purchase', partyId: 'pcrash-supplier', lines: [{ sku, quantity: 5, unitPrice: 400 }] });
    return;
  }
  const placed = await call(url, keys.clerk, '/orders', { kind: 'sale', partyId: 'pcrash-customer', lines: [{ sku, quantity: 1 + (n % 3), unitPrice: 999 }] });
  if (placed.status !== 201) return;
  const orderId = String(placed.body.orderId);
  await call(url, ADMIN, `/orders/${orderId}/payments`, { amount: 999, method: 'card' });
  if (n % 3 !== 0) return;
  await call(url, keys.clerk, `/orders/${orderId}/cancellation`, { reason: n % 2 ? 'found cheaper' : 'late', initiatedBy: 'customer' });
  await call(url, keys.approver, `/orders/${orderId}/cancellation/approve`, {});
}

/** Moves every view's checkpoint back by up to `by` events (SQLite positions are the log sequence), documents untouched. */
async function rewindCheckpoints(dataDir: string, by: number): Promise<void> {
  const store = SqliteReadStore.open({ dataDir });
  try {
    await ensureViews(store);
    for (const view of PROJECTED_VIEWS) {
      const name = generationCheckpointName({ view: view.name, generation: await store.liveGeneration(view.name) });
      const checkpoint = await store.getCheckpoint(name);
      if (checkpoint === undefined) continue;
      const back = Math.max(1, Number(checkpoint) - 1 - Math.floor(Math.random() * by));
      await store.setCheckpoint(name, String(back));
    }
  } finally {
    await store.close();
  }
}

describe('projections under SIGKILL', () => {
  it(`leave every view equal to a fresh replay after ${RUNS} kills while behind or catching up (jxc projections verify exits 0)`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-crash-projections-'));
    let service: ServiceProcess | undefined;
    try {
      service = await startService(dataDir, ADMIN);
      const keys: Keys = {
        clerk: String((await call(service.url, ADMIN, '/keys', { userId: 'clerk', roles: ['clerk'] })).body.key),
        approver: String((await call(service.url, ADMIN, '/keys', { userId: 'approver', roles: ['approver'] })).body.key),
      };
      await call(service.url, ADMIN, '/customers', { id: 'pcrash-customer', name: 'Crash Customer' });
      await call(service.url, ADMIN, '/suppliers', { id: 'pcrash-supplier', name: 'Crash Supplier' });
      for (const sku of SKUS) {
        await call(service.url, ADMIN, '/products', { sku, name: sku, price: 999, minStock: 20, maxStock: 100_000 });
        await call(service.url, ADMIN, '/stock/receipts', { sku, quantity: 100_000 });
      }

      let orders = 0;
      let killedBehind = 0;
      for (let run = 0; run < RUNS; run++) {
        const current: ServiceProcess = service;
        let running = true;
        // 12 callers, each placing orders one after the other until the kill.
        const load = Array.from({ length: 12 }, async () => {
          while (running) await orderLife(current.url, keys, orders++).catch(() => undefined);
        });
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * 500)));
        const before = await health(current).catch(() => undefined);
        if (before && Object.values(before.projections).some((projection) => !projection.caughtUp)) killedBehind++;
        await stopService(current, 'SIGKILL');
        running = false;
        await Promise.all(load);
        if (run % 2 === 1) await rewindCheckpoints(dataDir, 400);
        service = await startService(dataDir, ADMIN);
      }

      // One order life of each shape on the last start, while it catches up: under a loaded machine the kills may
      // have come before any cancellation was approved, and every view should hold documents for the check below.
      for (const shape of [0, 1, 3]) await orderLife(service.url, keys, shape);

      // The last start catches up; then the views must equal a fresh replay.
      const deadline = Date.now() + 30_000;
      let caughtUp = false;
      while (!caughtUp && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        caughtUp = Object.values((await health(service)).projections).every((projection) => projection.caughtUp && projection.lag === 0);
      }
      expect(caughtUp).toBe(true);
      expect(orders).toBeGreaterThan(RUNS * 12);
      // Not an assertion on timing, but the test is about this: some kills found the views behind the log.
      process.stdout.write(`projections-sigkill: ${RUNS} kills, ${killedBehind} with a view behind the log at the last health check, ${orders} order lives started\n`);

      const verified = await runJxc(dataDir, ['projections', 'verify'], { timeoutMs: 60_000 });
      // On failure, the whole report (every difference) is in the message.
      expect({ code: verified.code, output: verified.stdout + verified.stderr }).toEqual({ code: 0, output: expect.stringContaining('projections verify: every view equals a fresh replay of the log') });
      expect(verified.stdout).toMatch(/^ {2}orders: [1-9]\d* documents, equal$/m);
      expect(verified.stdout).toMatch(/^ {2}cancellation_stats: [1-9]\d* documents, equal$/m);
      await stopService(service, 'SIGTERM');

      // And the check can fail: one field of one stock level changed behind the runner's back.
      const views = SqliteReadStore.open({ dataDir });
      let sku: string;
      try {
        await ensureViews(views);
        const level = (await views.query('stock_levels', { limit: 1 })).items[0];
        sku = level.id;
        await views.writeBatch('stock_levels', [{ type: 'patch', id: level.id, position: level.position, inc: { reserved: 1 } }]);
      } finally {
        await views.close();
      }
      const corrupted = await runJxc(dataDir, ['projections', 'verify', 'stock_levels']);
      expect(corrupted.code).toBe(1);
      expect(corrupted.stdout).toMatch(new RegExp(`^ {2}stock_levels ${sku} reserved: live \\d+, replay \\d+$`, 'm'));
    } finally {
      if (service) await stopService(service, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
