import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

async function until(jxc: RunningApp, path: string, accept: (status: number, body: Record<string, unknown>) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await jxc.http.get(path).set(jxc.as(ADMIN_KEY));
    if (accept(response.status, response.body) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Projections = Record<string, { generation: string | null; caughtUp: boolean; status: string }>;

describe('upgrade: views of a projection group built at an older version are rebuilt when the service starts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-upgrade-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the orders, audit and master data groups (version 2 and up) are rebuilt into fresh generations without an operator; the groups still at version 1 keep theirs', async () => {
    const first = await startApp({ dataDir });
    let orderId: string;
    try {
      const clerk = await first.keyFor('alice', 'clerk');
      await first.http.post('/api/suppliers').set(first.as(ADMIN_KEY)).send({ id: 'sup-1', name: 'West Lake Tea Farm' }).expect(201);
      await first.http.post('/api/products').set(first.as(ADMIN_KEY)).send({ sku: 'TEA-1', name: 'Longjing 250 g', price: 800 }).expect(201);
      const placed = await first.http.post('/api/orders').set(first.as(clerk)).send({ kind: 'purchase', partyId: 'sup-1', lines: [{ sku: 'TEA-1', quantity: 3, unitPrice: 500 }] }).expect(201);
      orderId = placed.body.orderId as string;
      await first.http.get(`/api/orders/${orderId}?minPosition=${placed.body.position}`).set(first.as(ADMIN_KEY)).expect(200);
    } finally {
      await first.close();
    }

    // What the previous code left behind: checkpoints without a version, and an order document it shaped otherwise.
    const file = new Database(join(dataDir, 'views.sqlite'));
    file.exec(`UPDATE _checkpoints SET version = NULL`);
    file.prepare(`UPDATE orders__g1 SET doc = json_set(doc, '$.total', 987654) WHERE id = ?`).run(orderId);
    file.close();

    const second = await startApp({ dataDir });
    try {
      // Every group at version 2 and up is rebuilt (orders, stock, audit, master data); health is 200 once all are caught up.
      const rebuilt = ['orders', 'cancellation_stats', 'stock_levels', 'audit_trail', 'products', 'suppliers', 'warehouses'];
      const health = await until(second, '/api/health', (status, body) => status === 200 && rebuilt.every((view) => (body.projections as Projections)[view]?.generation === '2' && (body.projections as Projections)[view]?.caughtUp));
      const projections = health.body.projections as Projections;
      expect(projections.orders).toMatchObject({ generation: '2', caughtUp: true, status: 'running' });
      for (const view of rebuilt) expect(projections[view]).toMatchObject({ generation: '2', caughtUp: true });
      expect(projections.planning_demand).toMatchObject({ generation: '1', caughtUp: true });
      const order = await second.http.get(`/api/orders/${orderId}`).set(second.as(ADMIN_KEY)).expect(200);
      expect(order.body).toMatchObject({ orderId, total: 1500 });
    } finally {
      await second.close();
    }
  }, 60_000);
});
