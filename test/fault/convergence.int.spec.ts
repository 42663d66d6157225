import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { orderStream, paymentStream, stockStream } from '../../domain/index.js';
import { type Order } from '../../domain/order/state.js';
import { reservedFor } from '../../domain/stock/state.js';
import { type EventStore, type RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { orderAggregate, paymentAggregate, stockAggregate } from '../../src/platform/write-model/aggregates.js';
import { runJxc } from '../support/cli.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { faultSeed, FaultyEventStore } from '../support/faulty-event-store.js';
import {
  type Answer,
  describeCommand,
  duplicatesOf,
  eventsByCommand,
  type KeyedCommand,
  keyedCommand,
  lastAnswer,
  pool,
  sendKeyed,
  sleep,
  successStatus,
  wasApplied,
} from './fault-support.js';
import { unsettledOrders } from '../support/settlement.js';

// The in-process service on real SQLite, its event store behind a fault-injecting wrapper that fails a
// fraction of appends and reads (some appends after writing them). Concurrent clients place orders, pay,
// ask to cancel and approve, each command with an Idempotency-Key, retrying 5xx answers with the same key
// like a real client. Then the faults stop, and every order must converge without a restart: no
// process stalled, each approved cancellation released and refunded once, stock equal to its events and
// to the orders, views equal to a replay, hash chains intact.
//
// JXC_FAULT_SEEDS runs (default 6), each with its own seed (FAULT_SEED=<n> JXC_FAULT_SEEDS=1 replays one),
// JXC_FAULT_ORDERS orders per run (default 60), JXC_FAULT_APPEND_RATE / JXC_FAULT_READ_RATE (default 0.15 /
// 0.1), JXC_FAULT_CONVERGE_MS how long convergence may take after healing (default 60 s).
const SEEDS = Number(process.env.JXC_FAULT_SEEDS ?? 6);
const ORDERS = Number(process.env.JXC_FAULT_ORDERS ?? 60);
const RATES = { appends: Number(process.env.JXC_FAULT_APPEND_RATE ?? 0.15), reads: Number(process.env.JXC_FAULT_READ_RATE ?? 0.1) };
const CONVERGE_MS = Number(process.env.JXC_FAULT_CONVERGE_MS ?? 60_000);
const ATTEMPTS = 6;
const CONCURRENCY = 16;
const SKUS = ['F-A', 'F-B', 'F-C'];
const SCARCE = 'F-SCARCE';
const STOCK = { [SKUS[0]]: 1000, [SKUS[1]]: 1000, [SKUS[2]]: 1000, [SCARCE]: 12 } as Record<string, number>;
const CUSTOMER = 'fault-customer';

const firstSeed = faultSeed();
const seeds = Array.from({ length: SEEDS }, (_, i) => (firstSeed + i * 7919) % 2 ** 31);

interface Scenario {
  readonly app: RunningApp;
  readonly faulty: FaultyEventStore;
  readonly real: EventStore;
  readonly commands: KeyedCommand[];
  readonly orderIds: string[];
  /** Orders whose process had a step left when the wait ended. */
  readonly unsettled: string[];
  /** GET /api/processes/stalled after the wait; undefined while the route does not exist. */
  readonly stalled: unknown[] | undefined;
  readonly waitedMs: number;
  readonly log: RecordedEvent[];
}

async function runScenario(seed: number): Promise<Scenario> {
  let faulty: FaultyEventStore | undefined;
  let real: EventStore | undefined;
  // A snapshot every 4 events: stock positions are loaded in part (partitioned snapshots) throughout, faults included.
  const app = await startApp(
    { mongodbUrl: undefined, snapshotEvery: 4 },
    {
      wrapEventStore: (store) => {
        real = store;
        faulty = new FaultyEventStore(store, seed, RATES);
        faulty.heal();
        return faulty;
      },
    },
  );
  if (!faulty || !real) throw new Error('the event store was not wrapped');
  const keys = { clerk1: await app.keyFor('fault-clerk-1', 'clerk'), clerk2: await app.keyFor('fault-clerk-2', 'clerk'), approver: await app.keyFor('fault-approver', 'approver') };
  const admin = (path: string, body: object) => app.http.post(path).set(app.as(ADMIN_KEY)).send(body).expect(201);
  await admin('/api/customers', { id: CUSTOMER, name: 'Fault Customer' });
  for (const [sku, quantity] of Object.entries(STOCK)) {
    await admin('/api/products', { sku, name: sku, price: 100 });
    await admin('/api/stock/receipts', { sku, quantity });
  }

  const commands: KeyedCommand[] = [];
  const send = async (command: KeyedCommand): Promise<Answer> => {
    commands.push(command);
    return sendKeyed(async (c) => {
      const response = await app.http.post(c.path).set({ ...app.as(c.apiKey), 'Idempotency-Key': c.id, 'X-Correlation-Id': c.id }).send(c.body);
      return { status: response.status, body: (response.body ?? {}) as Answer['body'], retryAfter: response.headers['retry-after'] as string | undefined };
    }, command, ATTEMPTS);
  };

  /** One order's life: place; pay nothing, half or all; maybe ask to cancel; maybe approve, sometimes racing a payment. */
  const life = async (i: number): Promise<void> => {
    const orderId = `f${seed}-${i}`;
    const clerk = i % 2 === 0 ? keys.clerk1 : keys.clerk2;
    const lines = [{ sku: SKUS[i % 3], quantity: 1 + (i % 3), unitPrice: 250 }];
    if (i % 4 === 0) lines.push({ sku: SKUS[(i + 1) % 3], quantity: 2, unitPrice: 100 });
    if (i % 5 === 0) lines.push({ sku: SCARCE, quantity: 2, unitPrice: 300 });
    const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    const half = Math.floor(total / 2);
    const on = (kind: KeyedCommand['kind'], suffix: string, apiKey: string, path: string, body: Record<string, unknown>) =>
      send(keyedCommand(`${orderId}.${suffix}`, kind, orderId, apiKey, path, body));

    const placed = await on('place', 'place', clerk, '/api/orders', { orderId, kind: 'sale', partyId: CUSTOMER, lines });
    if (placed.status !== 201) return;
    const mode = i % 6;
    if (mode % 2 === 1) await on('pay', 'pay-all', clerk, `/api/orders/${orderId}/payments`, { amount: total, method: 'card' });
    if (mode === 2 || mode === 4) await on('pay', 'pay-half', clerk, `/api/orders/${orderId}/payments`, { amount: half, method: 'card' });
    if (i % 3 === 2) return;
    const requested = await on('request', 'request', clerk, `/api/orders/${orderId}/cancellation`, { reason: 'fault test', initiatedBy: 'customer' });
    if (requested.status !== 200 || i % 7 === 6) return;
    const approve = on('approve', 'approve', keys.approver, `/api/orders/${orderId}/cancellation/approve`, {});
    // The rest of the money races the approval: the process refunds it if it lands.
    const racing = mode === 2 || mode === 4 ? on('pay', 'pay-rest', clerk, `/api/orders/${orderId}/payments`, { amount: total - half, method: 'cash' }) : undefined;
    await Promise.all([approve, racing]);
  };

  const orderIds = Array.from({ length: ORDERS }, (_, i) => `f${seed}-${i}`);
  faulty.injure();
  await pool(
    Array.from({ length: ORDERS }, (_, i) => i),
    CONCURRENCY,
    life,
  );
  faulty.heal();

  // No restart: whatever the faults left half done, the service finishes by itself.
  const started = Date.now();
  let unsettled: string[];
  let stalled: unknown[] | undefined;
  do {
    await sleep(250);
    unsettled = await unsettledOrders(new AggregateRepository(real), orderIds);
    stalled = await stalledProcesses(app);
  } while ((unsettled.length > 0 || (stalled?.length ?? 0) > 0) && Date.now() - started < CONVERGE_MS);
  const waitedMs = Date.now() - started;
  await projectionsCaughtUp(app);

  const log: RecordedEvent[] = [];
  for await (const event of real.readAll()) log.push(event);
  return { app, faulty, real, commands, orderIds, unsettled, stalled, waitedMs, log };
}


/** The stalled processes the service reports; undefined while GET /api/processes/stalled does not exist. */
async function stalledProcesses(app: RunningApp): Promise<unknown[] | undefined> {
  const response = await app.http.get('/api/processes/stalled').set(app.as(ADMIN_KEY));
  if (response.status === 404 && response.body?.error?.code === 'not_found' && !Array.isArray(response.body?.items)) return undefined;
  expect(response.status).toBe(200);
  return Array.isArray(response.body) ? response.body : (response.body.items as unknown[]);
}

async function projectionsCaughtUp(app: RunningApp): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const health = await app.http.get('/api/health');
    const projections = Object.values((health.body?.projections ?? {}) as Record<string, { caughtUp: boolean }>);
    if (projections.length > 0 && projections.every((projection) => projection.caughtUp)) return;
    await sleep(100);
  }
}

const orderIdOf = (event: RecordedEvent): string | undefined => (event.data as { orderId?: string } | null)?.orderId ?? undefined;

for (const seed of seeds) {
  describe(`event store faults (${RATES.appends} of appends, ${RATES.reads} of reads), seed ${seed}`, () => {
    let run: Scenario;

    beforeAll(async () => {
      process.stdout.write(`fault convergence: seed ${seed} (replay with FAULT_SEED=${seed} JXC_FAULT_SEEDS=1)\n`);
      run = await runScenario(seed);
      const counts = run.faulty.counts;
      process.stdout.write(
        `fault convergence: seed ${seed}: ${run.commands.length} commands; appends ${counts.appends} (${counts.appendsFailedBeforeWrite} failed unwritten, ${counts.appendsFailedAfterWrite} failed after writing), ` +
          `reads ${counts.reads} (${counts.readsFailed} failed), ${counts.subscriptionsFailed} subscriptions failed; converged after ${run.waitedMs} ms with ${run.unsettled.length} orders unsettled` +
          `${run.stalled === undefined ? '; GET /api/processes/stalled does not exist yet' : `, ${run.stalled.length} stalled`}\n`,
      );
    }, CONVERGE_MS + 180_000);

    afterAll(async () => {
      await run?.app.close();
    });

    it('injected faults of every kind, and answered each with 503 storage_unavailable and Retry-After, never 500', () => {
      const counts = run.faulty.counts;
      expect(counts.appendsFailedBeforeWrite).toBeGreaterThan(0);
      expect(counts.appendsFailedAfterWrite).toBeGreaterThan(0);
      expect(counts.readsFailed).toBeGreaterThan(0);
      // Answers of 5xx, counted by status, code and whether Retry-After came with them.
      const failures = new Map<string, number>();
      for (const answer of run.commands.flatMap((command) => command.answers)) {
        if (answer.status < 500) continue;
        const kind = `${answer.status} ${answer.body.error?.code ?? '(no code)'}${answer.retryAfter === undefined ? ' without Retry-After' : ''}`;
        failures.set(kind, (failures.get(kind) ?? 0) + 1);
      }
      expect(failures.size).toBeGreaterThan(0);
      expect(Object.fromEntries([...failures].filter(([kind]) => kind !== '503 storage_unavailable'))).toEqual({});
    });

    it('converges without a restart: no process stalled, no order left half done', () => {
      expect(run.unsettled).toEqual([]);
      expect(run.stalled ?? []).toEqual([]);
    });

    it('answers a keyed command whose first attempt was written with its success, never a refusal it caused; nothing answered 2xx is missing', () => {
      const byCommand = eventsByCommand(run.log);
      const wrong: string[] = [];
      for (const command of run.commands) {
        const answer = lastAnswer(command);
        if (answer === undefined || answer.status >= 500) continue; // the client gave up: no answer to judge
        const applied = wasApplied(command, byCommand);
        // A placement that is short is kept as rejected and answered 409 insufficient_stock: applied, and refused.
        const rejectedPlacement = command.kind === 'place' && answer.status === 409 && answer.body.error?.code === 'insufficient_stock';
        if (applied && answer.status !== successStatus(command.kind) && !rejectedPlacement) wrong.push(describeCommand(command, applied));
        if (!applied && answer.status < 300) wrong.push(describeCommand(command, applied));
      }
      expect(wrong).toEqual([]);
    });

    it('releases and refunds each approved cancellation exactly once (refunded <= paid), and duplicates nothing', async () => {
      const byCommand = eventsByCommand(run.log);
      expect(run.commands.flatMap((command) => duplicatesOf(command, byCommand).map((duplicate) => `${command.id}: ${duplicate}`))).toEqual([]);

      const repository = new AggregateRepository(run.real);
      const perOrder = new Map<string, RecordedEvent[]>();
      for (const event of run.log) {
        const orderId = orderIdOf(event);
        if (orderId !== undefined) perOrder.set(orderId, [...(perOrder.get(orderId) ?? []), event]);
      }
      const problems: string[] = [];
      let cancelled = 0;
      for (const orderId of run.orderIds) {
        const order = (await repository.load(orderAggregate, orderStream(orderId))).state;
        if (order === null) continue;
        const payment = (await repository.load(paymentAggregate, paymentStream(orderId))).state;
        const events = perOrder.get(orderId) ?? [];
        const count = (type: string, streamId?: string) => events.filter((event) => event.type === type && (streamId === undefined || event.streamId === streamId)).length;
        const sum = (type: string) => events.filter((event) => event.type === type).reduce((total, event) => total + (event.data as { amount: number }).amount, 0);
        // One refund step splits over the order's payments (issue 12: latest first, one RefundIssued per payment it
        // reverses), so a step's events are told apart by the payment; the same payment twice in a step is a duplicate.
        const refundSteps = events
          .filter((event) => event.type === 'RefundIssued')
          .map((event) => `${(event.metadata as { commandId: string }).commandId} ${String((event.data as { paymentId?: string | null }).paymentId ?? '')}`);

        for (const type of ['OrderPlaced', 'CancellationApproved', 'OrderCancelled', 'OrderRejected']) if (count(type) > 1) problems.push(`${orderId}: ${type} x${count(type)}`);
        if (new Set(refundSteps).size !== refundSteps.length) problems.push(`${orderId}: a refund step ran twice (${refundSteps.join(', ')})`);
        if (sum('PaymentReceived') !== payment.paid || sum('RefundIssued') !== payment.refunded) problems.push(`${orderId}: payment state differs from its events`);
        if (payment.refunded > payment.paid) problems.push(`${orderId}: refunded ${payment.refunded} > paid ${payment.paid}`);
        for (const line of order.lines) {
          const streamId = stockStream(order.warehouseId, line.sku);
          if (count('StockReserved', streamId) > 1 || count('StockReleased', streamId) > 1) problems.push(`${orderId}: ${line.sku} reserved x${count('StockReserved', streamId)}, released x${count('StockReleased', streamId)}`);
          if (count('StockReleased', streamId) > count('StockReserved', streamId)) problems.push(`${orderId}: ${line.sku} released without a reservation`);
        }
        if (count('CancellationApproved') === 1) {
          cancelled++;
          const stocks = await Promise.all(order.lines.map(async (line) => (await repository.load(stockAggregate, stockStream(order.warehouseId, line.sku))).state));
          const held = order.lines.map((line, i) => reservedFor(stocks[i], orderId));
          if (order.status !== 'cancelled' || payment.refunded !== payment.paid || held.some((quantity) => quantity !== 0)) {
            problems.push(`${orderId}: approved but ${order.status}, paid ${payment.paid}, refunded ${payment.refunded}, still reserved ${held.join('/')}`);
          }
        } else if (payment.refunded !== 0) {
          problems.push(`${orderId}: refunded ${payment.refunded} without an approved cancellation`);
        }
      }
      expect(problems).toEqual([]);
      expect(cancelled).toBeGreaterThan(0);
    });

    it("keeps every SKU's stock equal to the fold of its events, to its view and to what the orders hold", async () => {
      const repository = new AggregateRepository(run.real);
      const orders: Order[] = [];
      for (const orderId of run.orderIds) {
        const order = (await repository.load(orderAggregate, orderStream(orderId))).state;
        if (order !== null) orders.push(order);
      }
      const head = await run.real.headPosition();
      for (const sku of Object.keys(STOCK)) {
        const streamId = stockStream('main', sku);
        const stream = run.log.filter((event) => event.streamId === streamId);
        const quantity = (type: string) => stream.filter((event) => event.type === type).reduce((total, event) => total + (event.data as { quantity: number }).quantity, 0);
        const fold = { onHand: quantity('StockReceived'), reserved: quantity('StockReserved') - quantity('StockReleased') };
        const state = (await repository.load(stockAggregate, streamId)).state;
        // What the orders imply: a sale holds its reservation once complete, until rejected or its cancellation is approved.
        let held = 0;
        const entries: string[] = [];
        for (const order of orders) {
          const line = order.lines.find((candidate) => candidate.sku === sku);
          if (line === undefined) continue;
          const holds = order.reservation === 'complete' && order.status !== 'cancelled' && order.status !== 'rejected' && order.cancellation?.state !== 'approved';
          const entry = reservedFor(state, order.orderId);
          if (entry !== (holds ? line.quantity : 0)) entries.push(`${order.orderId} (${order.status}, reservation ${order.reservation}) holds ${entry} of ${line.quantity}`);
          if (holds) held += line.quantity;
        }
        const view = await run.app.http.get(`/api/stock/${sku}`).query(head ? { minPosition: head } : {}).set(run.app.as(ADMIN_KEY));
        expect({ sku, state: { onHand: state.onHand, reserved: state.reserved }, view: { onHand: view.body.onHand, reserved: view.body.reserved }, orders: held, entries }).toEqual({
          sku,
          state: fold,
          view: fold,
          orders: fold.reserved,
          entries: [],
        });
        expect(fold.onHand).toBe(STOCK[sku]);
      }
    });

    it('passes jxc projections verify and jxc audit verify', async () => {
      const projections = await runJxc(run.app.dataDir, ['projections', 'verify']);
      expect({ code: projections.code, out: projections.stdout.slice(-3000), err: projections.stderr.slice(-1000) }).toMatchObject({ code: 0 });
      const audit = await runJxc(run.app.dataDir, ['audit', 'verify']);
      expect({ code: audit.code, out: audit.stdout.slice(-3000), err: audit.stderr.slice(-1000) }).toMatchObject({ code: 0 });
    });
  });
}
