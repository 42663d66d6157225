import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type ServiceProcess, startService, stopService } from '../support/service-process.js';

// A shop order whose placement is SIGKILLed between the claim of its (channel, externalId) and the order
// itself, on the built service; then the example adapter (scripts/shop-adapter) replays the shop's file.
const ADMIN = 'shop-sigkill-admin-key-0123';
const ADAPTER = join(process.cwd(), 'dist/scripts/shop-adapter/main.js');
let dataDir: string;
let service: ServiceProcess | undefined;
let integrationKey: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jxc-shop-sigkill-'));
  service = await startService(dataDir, ADMIN);
  const post = async (path: string, body: object) => {
    const response = await fetch(`${service!.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  await post('/customers', { id: 'c-1', name: 'Wang Fang' });
  await post('/products', { sku: 'TEA-01', name: 'Longjing 250 g', price: 12800 });
  await post('/stock/receipts', { sku: 'TEA-01', quantity: 50 });
  integrationKey = (await post('/keys', { userId: 'taobao-sync', roles: ['integration'] })).key as string;
  await stopService(service, 'SIGTERM');
});
afterAll(async () => {
  if (service) await stopService(service, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function events(): { stream_id: string; type: string; data: string }[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT stream_id, type, data FROM events ORDER BY rowid').all() as { stream_id: string; type: string; data: string }[];
  } finally {
    db.close();
  }
}

function adapter(file: string, url: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ADAPTER, file], { env: { ...process.env, JXC_URL: url, JXC_API_KEY: integrationKey }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout }));
  });
}

describe('a shop order killed between its claim and its order', () => {
  it('is placed once, under the claimed order id, by the next request for the pair; the adapter replays the file without a second order', async () => {
    // The store SIGKILLs the process right after its next commit: the pair's claim, the placement's first append.
    service = await startService(dataDir, ADMIN, { JXC_TEST_KILL_AFTER_APPEND: '1' });
    const body = { kind: 'sale', partyId: 'c-1', channel: 'taobao', externalId: 'TB-0001', lines: [{ sku: 'TEA-01', quantity: 2 }] };
    await expect(fetch(`${service.url}/orders`, { method: 'POST', headers: { Authorization: `Bearer ${integrationKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).rejects.toThrow();
    await stopService(service, 'SIGKILL');
    const claims = events().filter((event) => event.stream_id === 'shop-order-taobao:TB-0001');
    expect(claims.map((event) => event.type)).toEqual(['ShopOrderClaimed']);
    const claimedId = (JSON.parse(claims[0].data) as { orderId: string }).orderId;
    expect(events().filter((event) => event.stream_id.startsWith('order-'))).toEqual([]);

    service = await startService(dataDir, ADMIN);
    const file = join(dataDir, 'shop-orders.json');
    writeFileSync(file, JSON.stringify([
      { channel: 'taobao', externalId: 'TB-0001', customerId: 'c-1', lines: [{ sku: 'TEA-01', quantity: 2 }] },
      { channel: 'taobao', externalId: 'TB-0002', customerId: 'c-1', lines: [{ sku: 'TEA-01', quantity: 1 }] },
    ]));
    const first = await adapter(file, service.url);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^taobao TB-0001 -> SO-\d{4}-\d{6} \(placed, placed\)\ntaobao TB-0002 -> SO-\d{4}-\d{6} \(placed, placed\)\n2 shop orders: 2 placed, 0 placed before, 0 refused\n$/);
    const again = await adapter(file, service.url);
    expect(again.stdout).toMatch(/2 shop orders: 0 placed, 2 placed before, 0 refused\n$/);

    const placed = events().filter((event) => event.type === 'OrderPlaced').map((event) => JSON.parse(event.data) as { orderId: string });
    expect(placed).toHaveLength(2);
    expect(placed[0].orderId).toBe(claimedId);
    // Reserved once per order: 2 + 1 units.
    const reserved = events().filter((event) => event.type === 'StockReserved').map((event) => (JSON.parse(event.data) as { quantity: number }).quantity);
    expect(reserved.reduce((sum, quantity) => sum + quantity, 0)).toBe(3);
  });
});
