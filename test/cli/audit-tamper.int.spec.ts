import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';

import { runJxc } from '../support/cli.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

// Events made through the real service (SQLite on disk), then ONE byte of one stored event's data
// changed behind its back with better-sqlite3: GET /api/audit/verify and `jxc audit verify` (a
// child process) must both name that stream, revision and position.
let app: RunningApp;
let auditor: string;
let orderId: string;

function post(path: string, body: unknown) {
  return app.http.post(path).set(app.as(ADMIN_KEY)).send(body as object);
}

beforeAll(async () => {
  app = await startApp({ mongodbUrl: undefined });
  auditor = await app.keyFor('auditor-1', 'auditor');
  await post('/api/customers', { id: 'tamper-customer', name: 'Tamper Customer' }).expect(201);
  await post('/api/products', { sku: 'TAMPER-1', name: 'Tamper tea', price: 500 }).expect(201);
  await post('/api/stock/receipts', { sku: 'TAMPER-1', quantity: 30 }).expect(201);
  for (let i = 0; i < 4; i++) {
    const placed = await post('/api/orders', { kind: 'sale', partyId: 'tamper-customer', lines: [{ sku: 'TAMPER-1', quantity: 2, unitPrice: 500 }] }).expect(201);
    await post(`/api/orders/${placed.body.orderId}/payments`, { amount: 1000, method: 'card' }).expect(200);
    if (i === 2) orderId = placed.body.orderId as string;
  }
});

afterAll(async () => {
  await app?.close();
});

describe('audit verify after one byte of one stored event is changed', () => {
  it('an untampered log: ok from the API, exit 0 from the CLI', async () => {
    const api = await app.http.get('/api/audit/verify').set(app.as(auditor)).expect(200);
    expect(api.body).toMatchObject({ ok: true, breaks: [] });
    expect(api.body.eventsChecked).toBeGreaterThan(10);
    const run = await runJxc(app.dataDir, ['audit', 'verify']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^ok: every hash chain holds; ${api.body.eventsChecked} events in [\\d.]+ s \\([\\d,]+ events/s\\), ${api.body.streamsChecked} streams$`, 'm'));
  });

  it('names the stream, revision and position of the altered event, from the API and the CLI (exit 1); the other streams still hold', async () => {
    const streamId = `order-${orderId}`;
    const db = new Database(join(app.dataDir, 'events.sqlite'));
    let target: { position: number; revision: number; data: string };
    try {
      // The order's first event, the placement: its party id is in its data.
      target = db.prepare('SELECT position, revision, data FROM events WHERE stream_id = ? ORDER BY revision LIMIT 1').get(streamId) as typeof target;
      const at = Buffer.from(target.data, 'utf8').indexOf('tamper-customer');
      expect(at).toBeGreaterThan(0);
      const bytes = Buffer.from(target.data, 'utf8');
      bytes[at] = 'T'.charCodeAt(0); // "tamper-customer" -> "Tamper-customer": still valid JSON, one byte changed
      expect(bytes.filter((byte, i) => byte !== Buffer.from(target.data, 'utf8')[i])).toHaveLength(1);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(bytes.toString('utf8'), target.position);
    } finally {
      db.close();
    }
    const brokenAt = { streamId, revision: target.revision, position: String(target.position), reason: 'hash_mismatch' };

    const api = await app.http.get('/api/audit/verify').set(app.as(auditor)).expect(200);
    expect(api.body).toMatchObject({ ok: false, brokenAt, breaks: [brokenAt] });

    const run = await runJxc(app.dataDir, ['audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`BROKEN stream ${streamId} revision ${target.revision} (position ${target.position}): hash_mismatch`);
    expect(run.stdout).toMatch(/^not ok: 1 broken stream of \d+;/m);

    const json = await runJxc(app.dataDir, ['audit', 'verify', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, eventsChecked: api.body.eventsChecked, streamsChecked: api.body.streamsChecked, brokenAt, breaks: [brokenAt] });
  });
});
