import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runJxc } from '../support/cli.js';
import { ADMIN_KEY, startApp } from '../support/e2e.js';
import { until } from '../support/until.js';

// `jxc projections status` as a child process on the SQLite files a stopped service left.
describe('jxc projections status: versions, generations and checkpoints', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-status-'));
  const jxc = (...args: string[]) => runJxc(dataDir, args);

  beforeAll(async () => {
    const app = await startApp({ dataDir, mongodbUrl: undefined });
    try {
      await app.http.post('/api/suppliers').set(app.as(ADMIN_KEY)).send({ id: 'sup-1', name: 'West Lake Tea Farm' }).expect(201);
      await app.http.post('/api/products').set(app.as(ADMIN_KEY)).send({ sku: 'TEA-1', name: 'Longjing 250 g', price: 800 }).expect(201);
      const placed = await app.http.post('/api/orders').set(app.as(ADMIN_KEY)).send({ kind: 'purchase', partyId: 'sup-1', lines: [{ sku: 'TEA-1', quantity: 3, unitPrice: 500 }] }).expect(201);
      await app.http.get(`/api/orders/${placed.body.orderId}?minPosition=${placed.body.position}`).set(app.as(ADMIN_KEY)).expect(200);
      await until('the projections to catch up', async () => {
        const projections = (await app.http.get('/api/health')).body.projections as Record<string, { lag: number }>;
        return Object.values(projections).every((projection) => projection.lag === 0) || undefined;
      });
    } finally {
      await app.close();
    }
  }, 60_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists each group with its version and each view with the version its live generation was built at; an out-of-date one is named', async () => {
    const file = new Database(join(dataDir, 'views.sqlite'));
    file.exec(`UPDATE _checkpoints SET version = NULL WHERE name LIKE 'orders@%' OR name LIKE 'cancellation_stats@%'`);
    file.close();

    const run = await jxc('projections', 'status');

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContain('orders (version 3):');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}orders: generation 1, built at version 1, checkpoint \d+, 0 events behind \(out of date: the service rebuilds orders when it starts; or run jxc projections rebuild orders\)$/));
    expect(lines).toContain('stock (version 2):');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}stock_levels: generation 1, built at version 2, checkpoint \d+, 0 events behind$/));
    // No customer was registered, yet its group's batches keep its checkpoint too.
    expect(lines).toContain('master_data (version 3):');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}customers: generation 1, built at version 3, checkpoint \d+, 0 events behind$/));
  });

  it('after `jxc projections rebuild orders` the orders views are a new generation built at version 3', async () => {
    const rebuilt = await jxc('projections', 'rebuild', 'orders');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^rebuilding orders \(orders, cancellation_stats\) at version 3 from the start of the log/);

    const run = await jxc('projections', 'status', 'cancellation_stats');

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^orders \(version 3\):\n {2}orders: generation 2, built at version 3, checkpoint \d+, 0 events behind\n {2}cancellation_stats: generation 2, built at version 3, checkpoint \d+, 0 events behind\n$/);
  });

  it('an unknown projection is bad input (exit 2)', async () => {
    const run = await jxc('projections', 'status', 'nope');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown projection "nope"');
  });
});
