import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { orderStream, paymentStream, stockStream } from '../../domain/index.js';
import { reservedFor } from '../../domain/stock/state.js';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { ProcessRecovery } from '../../src/orders/processes/process-recovery.js';
import { PROCESS_CHECKPOINT } from '../../src/orders/processes/recovery-persistence.js';
import { READ_STORE, type ReadStore } from '../../src/platform/read-store/read-store.port.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { orderAggregate, paymentAggregate, stockAggregate } from '../../src/platform/write-model/aggregates.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { WebhookOutbox } from '../../src/integrations/webhooks/webhook-outbox.js';
import { StreamFaults } from '../support/stream-faults.js';
import { until } from '../support/until.js';

// A process never gives up (issue 9): the real application on real SQLite files, with appends to chosen
// streams failing as a full disk fails them, while approved cancellations, placements and a product's
// thresholds run. What failed stays due, is listed, holds the recovery checkpoint back, and finishes by
// itself once the store heals: without a restart, and across one.

interface Stalled {
  process: string;
  orderId: string | null;
  sku: string | null;
  step: string | null;
  streamId: string | null;
  attempts: number;
  lastError: string;
  since: string;
  nextAttemptAt: string;
}

/** An order's states as the write side folds them from the log. */
async function statesOf(store: EventStore, orderId: string, sku: string) {
  const repository = new AggregateRepository(store);
  const order = (await repository.load(orderAggregate, orderStream(orderId))).state;
  const payment = (await repository.load(paymentAggregate, paymentStream(orderId))).state;
  const stock = (await repository.load(stockAggregate, stockStream('main', sku))).state;
  return { status: order?.status ?? null, reservation: order?.reservation ?? null, paid: payment.paid, refunded: payment.refunded, reserved: reservedFor(stock, orderId) };
}

async function eventsOf(store: EventStore, streamId: string): Promise<{ type: string; position: string }[]> {
  const found: { type: string; position: string }[] = [];
  for await (const event of store.readStream(streamId)) found.push({ type: event.type, position: event.position });
  return found;
}

class Client {
  readonly keys: Record<string, string> = { admin: ADMIN_KEY };
  constructor(public app: RunningApp) {}

  post(who: string, path: string, body: unknown = {}) {
    return this.app.http.post(path).set(this.app.as(this.keys[who])).send(body as object);
  }

  get(who: string, path: string) {
    return this.app.http.get(path).set(this.app.as(this.keys[who]));
  }

  async stalled(): Promise<Stalled[]> {
    const response = await this.get('auditor', '/api/processes/stalled').expect(200);
    return response.body.items as Stalled[];
  }

  async stalledItem(match: (item: Stalled) => boolean, minAttempts = 1): Promise<Stalled> {
    return until('a stalled process', async () => (await this.stalled()).find((item) => match(item) && item.attempts >= minAttempts));
  }

  async issueKeys(): Promise<void> {
    for (const role of ['clerk', 'approver', 'finance', 'auditor', 'warehouse'] as const) this.keys[role] = await this.app.keyFor(`${role}-1`, role);
  }

  /** A sale of `quantity` units, paid, with a cancellation requested (approval is the caller's). */
  async paidSaleWithCancellationRequested(orderId: string, sku: string, quantity: number): Promise<void> {
    await this.post('clerk', '/api/orders', { orderId, kind: 'sale', partyId: 'stall-cust', lines: [{ sku, quantity, unitPrice: 1000 }] }).expect(201);
    await this.post('finance', `/api/orders/${orderId}/payments`, { amount: quantity * 1000, method: 'card' }).expect(200);
    await this.post('clerk', `/api/orders/${orderId}/cancellation`, { reason: 'changed mind', initiatedBy: 'customer' }).expect(200);
  }
}

async function setUpMasterData(client: Client, skus: readonly string[]): Promise<void> {
  await client.post('admin', '/api/customers', { id: 'stall-cust', name: 'Stall Customer' }).expect(201);
  for (const sku of skus) {
    await client.post('admin', '/api/products', { sku, name: `Product ${sku}`, price: 1000 }).expect(201);
    await client.post('admin', '/api/stock/receipts', { sku, quantity: 100 }).expect(201);
  }
}

function checkpointOf(app: RunningApp): Promise<string | undefined> {
  return app.app.get<ReadStore>(READ_STORE).getCheckpoint(PROCESS_CHECKPOINT);
}

function before(store: EventStore, checkpoint: string | undefined, position: string): boolean {
  return checkpoint === undefined || store.comparePositions(checkpoint, position) < 0;
}

describe('a process never gives up (one running service)', () => {
  const faults = new StreamFaults();
  let client: Client;
  let store: EventStore;

  beforeAll(async () => {
    client = new Client(await startApp({ mongodbUrl: undefined }, { wrapEventStore: faults.wrap }));
    store = client.app.app.get(EVENT_STORE);
    await client.issueKeys();
    await setUpMasterData(client, ['STALL-A', 'STALL-B', 'STALL-C']);
  });
  afterAll(async () => {
    await client.app.close();
  });

  it('keeps an approved cancellation whose refund fails due, listed and holding the checkpoint, goes on with other orders, and finishes it once the store heals', async () => {
    await client.paidSaleWithCancellationRequested('SO-STALL-1', 'STALL-A', 2);
    await client.paidSaleWithCancellationRequested('SO-STALL-2', 'STALL-B', 1);

    faults.fail(paymentStream('SO-STALL-1'), paymentStream('SO-STALL-2'));
    const approved = await client.post('approver', '/api/orders/SO-STALL-1/cancellation/approve');
    expect(approved.status).toBeGreaterThanOrEqual(500);
    expect((await client.post('approver', '/api/orders/SO-STALL-2/cancellation/approve')).status).toBeGreaterThanOrEqual(500);
    const approval = (await eventsOf(store, orderStream('SO-STALL-1'))).find((event) => event.type === 'CancellationApproved')!;
    expect(approval).toBeDefined();

    // Retried again and again, never given up: the old recovery stopped after 3 attempts.
    const stalled = await client.stalledItem((item) => item.orderId === 'SO-STALL-1', 4);
    expect(stalled).toMatchObject({ process: 'order', orderId: 'SO-STALL-1', sku: null, step: 'IssueRefund', streamId: 'payment-SO-STALL-1' });
    expect(stalled.lastError).toMatch(/full/);
    expect(stalled.lastError).not.toMatch(/\n|\bat .*\.[jt]s:\d+/);
    expect(Date.parse(stalled.nextAttemptAt)).toBeGreaterThan(Date.parse(stalled.since));
    // Released (the step before), not refunded, not cancelled.
    expect(await statesOf(store, 'SO-STALL-1', 'STALL-A')).toMatchObject({ status: 'placed', paid: 2000, refunded: 0, reserved: 0 });

    // The subscription goes on: a later order whose step failed once is finished by the recovery path meanwhile.
    faults.heal(paymentStream('SO-STALL-2'));
    await until('SO-STALL-2 cancelled', async () => ((await statesOf(store, 'SO-STALL-2', 'STALL-B')).status === 'cancelled' ? true : undefined));
    expect(await statesOf(store, 'SO-STALL-2', 'STALL-B')).toMatchObject({ status: 'cancelled', paid: 1000, refunded: 1000, reserved: 0 });
    await until('SO-STALL-2 off the list', async () => ((await client.stalled()).some((item) => item.orderId === 'SO-STALL-2') ? undefined : true));

    // ...and the stored checkpoint never passes the event of the order still due.
    const later = await client.post('clerk', '/api/orders', { orderId: 'SO-STALL-3', kind: 'sale', partyId: 'stall-cust', lines: [{ sku: 'STALL-C', quantity: 1, unitPrice: 1000 }] }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(before(store, await checkpointOf(client.app), approval.position)).toBe(true);
    expect((await client.stalled()).map((item) => item.orderId)).toEqual(['SO-STALL-1']);
    const metrics = (await client.get('admin', '/api/metrics').expect(200)).text;
    expect(metrics).toMatch(/^jxc_processes_stalled\{process="order"\} 1$/m);
    expect(Number(/^jxc_processes_step_failures_total\{process="order"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(4);

    // Healed: finished by itself, exactly once, and the checkpoint moves on.
    faults.heal();
    await until('SO-STALL-1 cancelled', async () => ((await statesOf(store, 'SO-STALL-1', 'STALL-A')).status === 'cancelled' ? true : undefined));
    expect(await statesOf(store, 'SO-STALL-1', 'STALL-A')).toMatchObject({ status: 'cancelled', paid: 2000, refunded: 2000, reserved: 0 });
    expect((await eventsOf(store, paymentStream('SO-STALL-1'))).filter((event) => event.type === 'RefundIssued')).toHaveLength(1);
    expect((await eventsOf(store, stockStream('main', 'STALL-A'))).filter((event) => event.type === 'StockReleased')).toHaveLength(1);
    await until('an empty list', async () => ((await client.stalled()).length === 0 ? true : undefined));
    await until('the checkpoint past the later order', async () => (before(store, await checkpointOf(client.app), String(later.body.position)) ? undefined : true));
    expect((await client.get('admin', '/api/metrics').expect(200)).text).toMatch(/^jxc_processes_stalled\{process="order"\} 0$/m);
  }, 90_000);

  it('finishes a placement that failed half-way (reservation pending) once the stock stream heals', async () => {
    faults.fail(stockStream('main', 'STALL-C'));
    expect((await client.post('clerk', '/api/orders', { orderId: 'SO-STALL-4', kind: 'sale', partyId: 'stall-cust', lines: [{ sku: 'STALL-C', quantity: 3, unitPrice: 1000 }] })).status).toBeGreaterThanOrEqual(500);
    const stalled = await client.stalledItem((item) => item.orderId === 'SO-STALL-4', 4);
    expect(stalled).toMatchObject({ step: 'SetReservation', streamId: 'stock-main-STALL-C' });
    expect(await statesOf(store, 'SO-STALL-4', 'STALL-C')).toMatchObject({ status: 'placed', reservation: 'pending', reserved: 0 });

    faults.heal();
    await until('SO-STALL-4 reserved', async () => ((await statesOf(store, 'SO-STALL-4', 'STALL-C')).reservation === 'complete' ? true : undefined));
    expect(await statesOf(store, 'SO-STALL-4', 'STALL-C')).toMatchObject({ status: 'placed', reserved: 3 });
    await until('an empty list', async () => ((await client.stalled()).length === 0 ? true : undefined));
  }, 60_000);

  it("keeps a product's thresholds step due until it succeeds", async () => {
    faults.fail(stockStream('main', 'STALL-P'));
    expect((await client.post('admin', '/api/products', { sku: 'STALL-P', name: 'Thresholds', price: 1000, minStock: 3, maxStock: 50 })).status).toBeGreaterThanOrEqual(500);
    const stalled = await client.stalledItem((item) => item.sku === 'STALL-P', 4);
    expect(stalled).toMatchObject({ process: 'product', orderId: null, step: 'SetStockThresholds', streamId: 'stock-main-STALL-P' });

    faults.heal();
    await until('the thresholds set', async () => {
      const stock = (await new AggregateRepository(store).load(stockAggregate, stockStream('main', 'STALL-P'))).state;
      return stock.min === 3 && stock.max === 50 ? true : undefined;
    });
    await until('an empty list', async () => ((await client.stalled()).length === 0 ? true : undefined));
  }, 60_000);

  it('POST /api/processes/:orderId/retry runs the process now: still stalled with the error, then settled', async () => {
    await client.paidSaleWithCancellationRequested('SO-STALL-5', 'STALL-B', 1);
    faults.fail(paymentStream('SO-STALL-5'));
    expect((await client.post('approver', '/api/orders/SO-STALL-5/cancellation/approve')).status).toBeGreaterThanOrEqual(500);

    const failing = await client.post('admin', '/api/processes/SO-STALL-5/retry').expect(200);
    expect(failing.body).toMatchObject({ orderId: 'SO-STALL-5', outcome: 'stalled', steps: null, step: 'IssueRefund', streamId: 'payment-SO-STALL-5' });
    expect(failing.body.error).toMatch(/full/);

    faults.heal();
    const settled = await client.post('admin', '/api/processes/SO-STALL-5/retry').expect(200);
    expect(settled.body).toMatchObject({ orderId: 'SO-STALL-5', outcome: 'settled', error: null });
    // Answered once the process finished, not later.
    expect(await statesOf(store, 'SO-STALL-5', 'STALL-B')).toMatchObject({ status: 'cancelled', paid: 1000, refunded: 1000, reserved: 0 });
    expect((await client.stalled()).some((item) => item.orderId === 'SO-STALL-5')).toBe(false);

    // Nothing to do on a settled order.
    expect((await client.post('admin', '/api/processes/SO-STALL-5/retry').expect(200)).body).toMatchObject({ outcome: 'settled', steps: 0 });
  }, 60_000);

  it('follows the log again when its subscription ends or fails, from where it was', async () => {
    // The faults break the next subscriptions of any subscriber: the webhook outbox is stopped, so they are the recovery's.
    await client.app.app.get(WebhookOutbox).beforeApplicationShutdown();
    const recovery = client.app.app.get(ProcessRecovery);
    const resubscribed = recovery.stats().resubscriptions;
    await client.paidSaleWithCancellationRequested('SO-STALL-6', 'STALL-A', 1);
    // The inline process fails: only the recovery path, reading the log, can finish this cancellation.
    faults.fail(paymentStream('SO-STALL-6'));
    faults.breakSubscriptions(2, 'end');
    expect((await client.post('approver', '/api/orders/SO-STALL-6/cancellation/approve')).status).toBeGreaterThanOrEqual(500);
    await until('two ended subscriptions', async () => (faults.subscriptionsBroken >= 2 ? true : undefined));
    faults.breakSubscriptions(2, 'fail');
    await client.stalledItem((item) => item.orderId === 'SO-STALL-6', 1);
    faults.heal();
    await until('SO-STALL-6 cancelled', async () => ((await statesOf(store, 'SO-STALL-6', 'STALL-A')).status === 'cancelled' ? true : undefined));
    expect(await statesOf(store, 'SO-STALL-6', 'STALL-A')).toMatchObject({ refunded: 1000, reserved: 0 });
    await until('every broken subscription replaced', async () => (faults.subscriptionsBroken >= 4 && recovery.stats().resubscriptions >= resubscribed + 4 ? true : undefined));
    // Still following: a later order whose inline process fails is finished by the recovery path.
    await client.paidSaleWithCancellationRequested('SO-STALL-7', 'STALL-A', 1);
    faults.fail(paymentStream('SO-STALL-7'));
    expect((await client.post('approver', '/api/orders/SO-STALL-7/cancellation/approve')).status).toBeGreaterThanOrEqual(500);
    faults.heal();
    await until('SO-STALL-7 cancelled', async () => ((await statesOf(store, 'SO-STALL-7', 'STALL-A')).status === 'cancelled' ? true : undefined));
  }, 60_000);

  it('answers 404 for an unknown order, 400 for a malformed id, and only to the roles allowed', async () => {
    expect((await client.post('admin', '/api/processes/NO-SUCH-ORDER/retry').expect(404)).body.error.code).toBe('not_found');
    expect((await client.post('admin', '/api/processes/%20bad%20id/retry').expect(400)).body.error.code).toBe('validation_failed');
    expect((await client.get('clerk', '/api/processes/stalled').expect(403)).body.error.code).toBe('forbidden');
    expect((await client.post('clerk', '/api/processes/SO-STALL-1/retry').expect(403)).body.error.code).toBe('forbidden');
    await client.post('auditor', '/api/processes/SO-STALL-1/retry').expect(403);
    await client.get('admin', '/api/processes/stalled').expect(200);
    await client.app.http.get('/api/processes/stalled').expect(401);
  });
});

describe('a process never gives up (across restarts)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-stalled-restart-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('takes a stalled cancellation up again after a restart, attempts still counted, and finishes it once healed', async () => {
    const faults = new StreamFaults();
    const first = new Client(await startApp({ dataDir, mongodbUrl: undefined }, { wrapEventStore: faults.wrap }));
    let stalled: Stalled;
    try {
      await first.issueKeys();
      await setUpMasterData(first, ['RESTART-A']);
      await first.paidSaleWithCancellationRequested('SO-RESTART-1', 'RESTART-A', 4);
      faults.fail(paymentStream('SO-RESTART-1'));
      expect((await first.post('approver', '/api/orders/SO-RESTART-1/cancellation/approve')).status).toBeGreaterThanOrEqual(500);
      stalled = await first.stalledItem((item) => item.orderId === 'SO-RESTART-1', 2);
    } finally {
      await first.app.close();
    }

    // Restarted with the fault still there: the stall is read back and its attempts go on counting from where they were.
    const second = new Client(await startApp({ dataDir, mongodbUrl: undefined }, { wrapEventStore: faults.wrap }));
    let again: Stalled;
    try {
      Object.assign(second.keys, first.keys);
      again = await second.stalledItem((item) => item.orderId === 'SO-RESTART-1', stalled.attempts + 1);
      expect(again).toMatchObject({ since: stalled.since, step: 'IssueRefund' });
      const store = second.app.app.get<EventStore>(EVENT_STORE);
      const approval = (await eventsOf(store, orderStream('SO-RESTART-1'))).find((event) => event.type === 'CancellationApproved')!;
      expect(before(store, await checkpointOf(second.app), approval.position)).toBe(true);
    } finally {
      await second.app.close();
    }

    // Healed and started again: finished, refunded once, off the list.
    const third = new Client(await startApp({ dataDir, mongodbUrl: undefined }));
    try {
      Object.assign(third.keys, first.keys);
      const store = third.app.app.get<EventStore>(EVENT_STORE);
      await until('SO-RESTART-1 cancelled', async () => ((await statesOf(store, 'SO-RESTART-1', 'RESTART-A')).status === 'cancelled' ? true : undefined));
      expect(await statesOf(store, 'SO-RESTART-1', 'RESTART-A')).toMatchObject({ status: 'cancelled', paid: 4000, refunded: 4000, reserved: 0 });
      expect((await eventsOf(store, paymentStream('SO-RESTART-1'))).filter((event) => event.type === 'RefundIssued')).toHaveLength(1);
      await until('an empty list', async () => ((await third.stalled()).length === 0 ? true : undefined));
    } finally {
      await third.app.close();
    }
  }, 120_000);
});
