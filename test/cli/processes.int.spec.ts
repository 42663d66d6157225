import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { orderStream, paymentStream } from '../../domain/index.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { orderAggregate, paymentAggregate } from '../../src/platform/write-model/aggregates.js';
import { runJxc } from '../support/cli.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { StreamFaults } from '../support/stream-faults.js';
import { until } from '../support/until.js';

// `jxc processes stalled` and `jxc processes retry` as child processes (dist/src/cli/main.js) on the
// SQLite files a service left with an approved cancellation whose refund kept failing.
let app: RunningApp;
let dataDir: string;
const jxc = (...args: string[]) => runJxc(dataDir, args);

async function orderOf(orderId: string) {
  const store = SqliteEventStore.open({ dataDir, durability: 'full', fileName: 'events.sqlite' });
  try {
    const repository = new AggregateRepository(store);
    const refunds: string[] = [];
    for await (const event of store.readStream(paymentStream(orderId))) if (event.type === 'RefundIssued') refunds.push(event.eventId);
    return {
      status: (await repository.load(orderAggregate, orderStream(orderId))).state?.status,
      refunded: (await repository.load(paymentAggregate, paymentStream(orderId))).state.refunded,
      refunds: refunds.length,
    };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const faults = new StreamFaults();
  dataDir = mkdtempSync(join(tmpdir(), 'jxc-cli-processes-'));
  app = await startApp({ dataDir, mongodbUrl: undefined }, { wrapEventStore: faults.wrap });
  const keys: Record<string, string> = { admin: ADMIN_KEY, clerk: await app.keyFor('clerk-1', 'clerk'), approver: await app.keyFor('approver-1', 'approver') };
  const post = (who: string, path: string, body: unknown = {}) => app.http.post(path).set(app.as(keys[who])).send(body as object);
  await post('admin', '/api/customers', { id: 'cli-cust', name: 'CLI Customer' }).expect(201);
  await post('admin', '/api/products', { sku: 'CLI-S', name: 'Stalled', price: 500 }).expect(201);
  await post('admin', '/api/stock/receipts', { sku: 'CLI-S', quantity: 10 }).expect(201);
  await post('clerk', '/api/orders', { orderId: 'SO-CLI-1', kind: 'sale', partyId: 'cli-cust', lines: [{ sku: 'CLI-S', quantity: 2, unitPrice: 500 }] }).expect(201);
  await post('admin', '/api/orders/SO-CLI-1/payments', { amount: 1000, method: 'card' }).expect(200);
  await post('clerk', '/api/orders/SO-CLI-1/cancellation', { reason: 'changed mind', initiatedBy: 'customer' }).expect(200);
  faults.fail(paymentStream('SO-CLI-1'));
  expect((await post('approver', '/api/orders/SO-CLI-1/cancellation/approve')).status).toBeGreaterThanOrEqual(500);
  await until('the refund of SO-CLI-1 to have failed twice', async () => {
    const items = (await app.http.get('/api/processes/stalled').set(app.as(ADMIN_KEY)).expect(200)).body.items as { orderId: string; attempts: number }[];
    return items.some((item) => item.orderId === 'SO-CLI-1' && item.attempts >= 2) || undefined;
  });
  // The service stops with the refund still failing: the stall is in the read store.
  await app.close();
}, 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('jxc processes', () => {
  it('stalled lists what the service left due, as text and as JSON', async () => {
    const text = await jxc('processes', 'stalled');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^order SO-CLI-1: IssueRefund on payment-SO-CLI-1 failed \d+ times since \S+, next attempt \S+: .*full/m);
    expect(text.stdout).toMatch(/^1 stalled process$/m);

    const json = await jxc('processes', 'stalled', '--json');
    expect(json.code).toBe(0);
    const { items } = JSON.parse(json.stdout) as { items: Record<string, unknown>[] };
    expect(items).toEqual([
      {
        process: 'order',
        orderId: 'SO-CLI-1',
        sku: null,
        step: 'IssueRefund',
        streamId: 'payment-SO-CLI-1',
        attempts: expect.any(Number),
        lastError: expect.stringMatching(/full/),
        since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        nextAttemptAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    expect(items[0].attempts).toBeGreaterThanOrEqual(2);
  });

  it('retry refuses a malformed id and an unknown order with exit 2', async () => {
    const malformed = await jxc('processes', 'retry', 'not an id!');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/not an order id/);
    const unknown = await jxc('processes', 'retry', 'SO-NOPE');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no order SO-NOPE/);
    expect((await jxc('processes', 'retry')).code).toBe(2);
  });

  it('retry answers 1 with the reason while the store still refuses the step, and 0 once it finished the order', async () => {
    // Another connection holds the write lock of the event log: the refund's append cannot be made.
    const blocker = new Database(join(dataDir, 'events.sqlite'));
    blocker.exec('BEGIN IMMEDIATE');
    let failing;
    try {
      failing = await jxc('processes', 'retry', 'SO-CLI-1');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect(failing.code).toBe(1);
    expect(failing.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^order SO-CLI-1: still stalled: IssueRefund on payment-SO-CLI-1 failed: \S/)]);
    expect(failing.stdout).not.toMatch(/\bat .*\.js:\d+/);
    expect(await orderOf('SO-CLI-1')).toEqual({ status: 'placed', refunded: 0, refunds: 0 });

    const settled = await jxc('processes', 'retry', 'SO-CLI-1');
    expect(settled.code).toBe(0);
    expect(settled.stdout).toMatch(/^order SO-CLI-1: settled \(2 steps run\), status cancelled$/m);
    expect(await orderOf('SO-CLI-1')).toEqual({ status: 'cancelled', refunded: 1000, refunds: 1 });
    expect(JSON.parse((await jxc('processes', 'stalled', '--json')).stdout)).toEqual({ items: [] });

    const again = await jxc('processes', 'retry', 'SO-CLI-1');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/settled \(nothing left to do\)/);
  }, 60_000);
});
