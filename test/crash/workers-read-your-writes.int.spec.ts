import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stopService } from '../support/service-process.js';
import { httpCall, startWorkers } from '../support/workers.js';

// JXC_WORKERS=2 (dist/src/main.js, run `npm run build` first). Each request goes on a connection of its own, which
// the primary hands to the processes in turn: writes and reads land on either process, the leader (which projects)
// or the follower (which reads the views' checkpoints from the shared read store).
const ADMIN = 'workers-admin-key-0123456789';

describe('JXC_WORKERS=2: read-your-writes across processes', () => {
  it('an order written through one process is read back with minPosition through either, never stale', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-workers-ryw-'));
    const service = await startWorkers(dataDir, ADMIN, 2);
    try {
      const admin = (method: string, path: string, body?: unknown) => httpCall(service.url, ADMIN, method, path, body);
      expect((await admin('POST', '/customers', { id: 'r-cust', name: 'Reader' })).status).toBe(201);
      expect((await admin('POST', '/products', { sku: 'R-1', name: 'Read item', price: 100 })).status).toBe(201);
      expect((await admin('POST', '/stock/receipts', { sku: 'R-1', quantity: 1000 })).status).toBe(201);

      const pairs = new Set<string>();
      for (let i = 0; i < 16; i++) {
        const placed = await admin('POST', '/orders', { kind: 'sale', partyId: 'r-cust', lines: [{ sku: 'R-1', quantity: 1, unitPrice: 100 }] });
        expect(placed.status).toBe(201);
        const position = String(placed.body.position);
        const read = await admin('GET', `/orders/${String(placed.body.orderId)}?minPosition=${position}`);
        expect(read.status).toBe(200);
        expect(read.headers['x-jxc-stale']).toBeUndefined();
        expect(read.body).toMatchObject({ orderId: placed.body.orderId, status: 'placed' });
        // The view position the answer reports covers the write.
        expect(BigInt(String(read.headers['x-jxc-view-position']))).toBeGreaterThanOrEqual(BigInt(position));
        // The stock view too: this order's unit is reserved in what the reader is shown.
        const stock = await admin('GET', `/stock/R-1?minPosition=${position}`);
        expect(stock.body).toMatchObject({ reserved: i + 1 });
        pairs.add(`${placed.worker}->${read.worker}`);
      }
      // Writes and reads were served by both processes, across them.
      expect([...pairs].some((pair) => pair.split('->')[0] !== pair.split('->')[1])).toBe(true);
      expect(new Set([...pairs].map((pair) => pair.split('->')[0])).size).toBe(2);
      expect(new Set([...pairs].map((pair) => pair.split('->')[1])).size).toBe(2);
    } finally {
      await stopService(service, 'SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
