import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { type RandomGenerator } from 'pure-rand/types/RandomGenerator';

import { paymentStream } from '../../domain/index.js';
import { amountDue } from '../../domain/order/state.js';
import { type RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { paymentAggregate } from '../../src/platform/write-model/aggregates.js';

import { duplicateSteps, historyOf, loadOrders, saleProblems, stockProblems } from '../support/parts-invariants.js';
import { type ServiceProcess, startService, stopService } from '../support/service-process.js';
import { unsettledOrders } from '../support/settlement.js';

// Kills the real service (dist/src/main.js) with SIGKILL at random moments, many times over one data
// directory, while sales are fulfilled, cancelled, amended and returned in parts: each order lives a random
// life (place 2-3 lines, pay, ship part, ask to cancel some lines or the remainder, approve or reject,
// deliver a shipment, return part of it, receive the return, amend, hold and release), the orders' lives run
// concurrently and some of their steps race each other. Every request carries an Idempotency-Key; a step a
// kill interrupted is sent again, with the same key, after the restart (as a client that got no answer does).
// Then every order must converge, and nothing may have happened twice.
//
// JXC_CRASH_RUNS kills (default 12), JXC_CRASH_ORDERS new orders per run (default 8), JXC_CRASH_SEED the seed
// of the lives (default random, printed), JXC_CRASH_KEEP=1 keeps the data directory (a failing run always does).
const RUNS = Number(process.env.JXC_CRASH_RUNS ?? 12);
const NEW_PER_RUN = Number(process.env.JXC_CRASH_ORDERS ?? 8);
const SEED = process.env.JXC_CRASH_SEED ? Number(process.env.JXC_CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const ADMIN = 'parts-crash-admin-key-0123456789';
const CUSTOMER = 'parts-customer';
/** sku -> [price, opening stock]; PART-S is scarce, so that placements and amendments are refused now and then. */
const PRODUCTS: Record<string, readonly [price: number, stock: number]> = {
  'PART-A': [1200, 100_000],
  'PART-B': [350, 100_000],
  'PART-C': [999, 100_000],
  'PART-S': [4500, 60],
};
const SKUS = Object.keys(PRODUCTS);
const OPENING = Object.fromEntries(SKUS.map((sku) => [sku, PRODUCTS[sku][1]]));
const FINISHED = ['rejected', 'cancelled', 'closed'];

type Who = 'clerk' | 'warehouse' | 'approver';

/** One POST as a client sends it; `key` is its Idempotency-Key. */
interface Request {
  readonly key: string;
  readonly who: Who;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { error?: { code?: string } };
}

/** The order view fields a life reads to choose its next step (API.md "Orders in parts"). */
interface OrderView {
  readonly orderId: string;
  readonly status: string;
  readonly revision: number;
  readonly paid: number;
  readonly refunded: number;
  readonly lines: readonly { sku: string; quantity: number; unitPrice: number; cancelled: number; shipped: number; delivered: number; returned: number; returnPending: number }[];
  readonly shipments?: readonly { shipmentId: string; deliveredAt: string | null }[];
  readonly returns?: readonly { returnId: string; closedAt: string | null; lines: readonly { sku: string; quantity: number; receivedResellable: number; receivedDamaged: number }[] }[];
  readonly cancellation: { state: string } | null;
  readonly onHold?: unknown;
}

interface Life {
  readonly orderId: string;
  readonly rng: RandomGenerator;
  steps: number;
  view: OrderView | null;
  /** The step a kill interrupted: sent again as it was (same keys, same bodies). */
  pending: Request[] | null;
  done: boolean;
}

const int = (rng: RandomGenerator, from: number, to: number): number => uniformInt(rng, from, to);
const chance = (rng: RandomGenerator, percent: number): boolean => int(rng, 1, 100) <= percent;
const pick = <T>(rng: RandomGenerator, items: readonly T[]): T => items[int(rng, 0, items.length - 1)];

function shuffle<T>(rng: RandomGenerator, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = int(rng, 0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Weighted choice among the candidates that apply (weight 0 or a null make: does not apply). */
function choose(rng: RandomGenerator, options: readonly [weight: number, make: () => Request | null][]): Request | null {
  const open = options.filter(([weight]) => weight > 0);
  let roll = int(rng, 1, Math.max(1, open.reduce((sum, [weight]) => sum + weight, 0)));
  for (const [weight, make] of open) {
    roll -= weight;
    if (roll <= 0) return make();
  }
  return null;
}

/** The next step of an order's life from what it last saw of the order: one request, or a few racing each other. */
function nextStep(life: Life): Request[] | null {
  const { rng, orderId } = life;
  const key = (what: string) => `${orderId}.${life.steps}.${what}`;
  const request = (who: Who, what: string, path: string, body: Record<string, unknown> = {}): Request => ({ key: key(what), who, path: `/orders/${orderId}${path}`, body });
  const view = life.view;
  if (life.steps <= 0) return null;
  if (view === null) {
    const skus = shuffle(rng, SKUS).slice(0, int(rng, 2, 3));
    const lines = skus.map((sku) => ({ sku, quantity: int(rng, 1, sku === 'PART-S' ? 2 : 5), unitPrice: PRODUCTS[sku][0] }));
    return [{ key: key('place'), who: 'clerk', path: '/orders', body: { orderId, kind: 'sale', partyId: CUSTOMER, lines } }];
  }
  if (FINISHED.includes(view.status)) return null;

  const lines = view.lines;
  const due = lines.reduce((sum, line) => sum + line.unitPrice * (line.quantity - line.cancelled - line.returned), 0);
  const outstanding = due - (view.paid - view.refunded);
  const unshipped = lines.filter((line) => line.quantity - line.cancelled - line.shipped > 0);
  const cancellable = lines.filter((line) => line.quantity - line.cancelled - line.returned - line.returnPending > 0);
  const returnable = lines.filter((line) => line.delivered - line.returned - line.returnPending > 0);
  const undelivered = (view.shipments ?? []).filter((shipment) => shipment.deliveredAt === null);
  const openReturns = (view.returns ?? []).filter((entry) => entry.closedAt === null && entry.lines.some((line) => line.quantity > line.receivedResellable + line.receivedDamaged));
  const requested = view.cancellation?.state === 'requested';
  const held = view.onHold !== null && view.onHold !== undefined;
  const fulfilling = !requested && !held && view.status !== 'returning';

  const pay = () => request('clerk', 'pay', '/payments', { amount: chance(rng, 60) ? outstanding : int(rng, 1, outstanding), method: pick(rng, ['card', 'cash']) });
  const ship = () => {
    if (chance(rng, 30)) return request('warehouse', 'ship', '/ship', { carrier: 'SF' });
    const part = unshipped.filter(() => chance(rng, 70));
    const chosen = part.length > 0 ? part : [unshipped[0]];
    return request('warehouse', 'ship', '/ship', { lines: chosen.map((line) => ({ sku: line.sku, quantity: int(rng, 1, line.quantity - line.cancelled - line.shipped) })), carrier: 'SF' });
  };
  const deliver = () => request('warehouse', 'deliver', '/deliver', chance(rng, 70) ? { shipmentId: pick(rng, undelivered).shipmentId } : {});
  const cancel = () => {
    const roll = int(rng, 1, 10);
    if (roll <= 2) return request('clerk', 'cancel', '/cancellation', { reason: 'crash test: all of it', initiatedBy: 'customer' });
    if (roll <= 5 && unshipped.length > 0) return request('clerk', 'cancel', '/cancellation', { reason: 'crash test: the rest', initiatedBy: 'customer', scope: 'remainder' });
    const line = pick(rng, cancellable);
    return request('clerk', 'cancel', '/cancellation', { reason: 'crash test: some', initiatedBy: 'company', lines: [{ sku: line.sku, quantity: int(rng, 1, line.quantity - line.cancelled - line.returned - line.returnPending) }] });
  };
  const decide = () => (chance(rng, 80) ? request('approver', 'approve', '/cancellation/approve', { refundMethod: 'original' }) : request('approver', 'reject', '/cancellation/reject', { reason: 'no' }));
  const amend = () => {
    const changed = lines.map((line) => {
      if (!chance(rng, 60)) return { sku: line.sku, quantity: line.quantity };
      const floor = line.shipped + line.cancelled;
      return { sku: line.sku, quantity: Math.max(floor, line.quantity + int(rng, -2, line.sku === 'PART-S' ? 1 : 3)) };
    });
    const missing = SKUS.filter((sku) => !lines.some((line) => line.sku === sku));
    if (missing.length > 0 && chance(rng, 30)) changed.push({ sku: pick(rng, missing), quantity: int(rng, 1, 2) });
    const kept = changed.filter((line) => line.quantity > 0);
    return request('clerk', 'amend', '/amend', { lines: kept.length > 0 ? kept : [changed[0]], reason: 'customer changed its mind' });
  };
  const giveBack = () => {
    const line = pick(rng, returnable);
    return request('clerk', 'return', '/returns', { lines: [{ sku: line.sku, quantity: int(rng, 1, line.delivered - line.returned - line.returnPending) }], reason: 'does not fit' });
  };
  const receive = () => {
    const entry = pick(rng, openReturns);
    const back = entry.lines
      .map((line) => ({ sku: line.sku, quantity: line.quantity - line.receivedResellable - line.receivedDamaged, condition: chance(rng, 75) ? 'resellable' : 'damaged' }))
      .filter((line) => line.quantity > 0)
      .map((line) => ({ ...line, quantity: chance(rng, 60) ? line.quantity : int(rng, 1, line.quantity) }));
    return request('warehouse', 'receive-return', '/returns/receive', chance(rng, 80) ? { returnId: entry.returnId, lines: back } : { lines: back });
  };
  const closeReturns = () => request('warehouse', 'close-returns', '/returns/close', { reason: 'the customer keeps the rest' });
  const hold = () => (held ? request('warehouse', 'release', '/hold/release', { note: 'ok' }) : request('approver', 'hold', '/hold', { reason: 'credit check' }));

  const options: [number, () => Request | null][] = [
    [outstanding > 0 ? 3 : 0, pay],
    [view.status === 'placed' && fulfilling ? 1 : 0, () => request('warehouse', 'process', '/process')],
    [unshipped.length > 0 && fulfilling ? 5 : 0, ship],
    [undelivered.length > 0 && !held ? 3 : 0, deliver],
    [!requested && cancellable.length > 0 && view.status !== 'returning' ? 2 : 0, cancel],
    [requested ? 12 : 0, decide],
    [!requested && view.status !== 'returning' ? 2 : 0, amend],
    [returnable.length > 0 ? 2 : 0, giveBack],
    [openReturns.length > 0 ? 4 : 0, receive],
    [openReturns.length > 0 ? 1 : 0, closeReturns],
    [held ? 4 : 1, hold],
  ];
  const first = choose(rng, options);
  if (first === null) return null;
  // Now and then a second command races the first (a payment racing an approval, a shipment a cancellation request, two amendments).
  if (!chance(rng, 25)) return [first];
  life.steps -= 1;
  const second = choose(rng, options);
  return second === null || second.key === first.key ? [first] : [first, { ...second, key: `${second.key}.race` }];
}

async function post(url: string, apiKey: string, request: Request): Promise<Answer> {
  const response = await fetch(`${url}${request.path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', 'Idempotency-Key': request.key },
    body: JSON.stringify(request.body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

interface Journal {
  /** `<route> <status> <code>` -> count, to show what the lives did and to find any 5xx. */
  readonly answers: Map<string, number>;
}

const routeOf = (request: Request) => (request.path === '/orders' ? 'place' : request.path.split('/').slice(3).join('/'));

/** Runs the life until it ends, or until the service dies under it (the step in flight stays pending). */
async function live(life: Life, service: ServiceProcess, keys: Record<Who, string>, journal: Journal): Promise<void> {
  while (!life.done) {
    const step = life.pending ?? nextStep(life);
    if (step === null) {
      life.done = true;
      return;
    }
    life.pending = step;
    const settled = await Promise.allSettled(step.map((request) => post(service.url, keys[request.who], request)));
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    life.pending = null;
    life.steps -= 1;
    settled.forEach((result, i) => {
      const answer = (result as PromiseFulfilledResult<Answer>).value;
      const what = `${routeOf(step[i])} ${answer.status}${answer.body.error?.code ? ` ${answer.body.error.code}` : ''}`;
      journal.answers.set(what, (journal.answers.get(what) ?? 0) + 1);
      if (answer.status === 409 && routeOf(step[i]) === 'place') life.done = true; // rejected: short of stock
      const seen = answer.body as unknown as OrderView;
      if (answer.status < 300 && seen.orderId === life.orderId && (life.view === null || seen.revision >= life.view.revision)) life.view = seen;
    });
  }
}

async function adminSetup(url: string): Promise<Record<Who, string>> {
  const admin = (path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(async (response) => {
      if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    });
  const keys = {} as Record<Who, string>;
  for (const who of ['clerk', 'warehouse', 'approver'] as const) keys[who] = String((await admin('/keys', { userId: `parts-${who}`, roles: [who] })).key);
  await admin('/customers', { id: CUSTOMER, name: 'Parts Customer' });
  for (const [sku, [price, stock]] of Object.entries(PRODUCTS)) {
    await admin('/products', { sku, name: sku, price });
    await admin('/stock/receipts', { sku, quantity: stock });
  }
  return keys;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('orders in parts under SIGKILL', () => {
  it(`converge after ${RUNS} kills during partial shipments, partial cancellations, amendments and returns, with nothing done twice`, async () => {
    process.stdout.write(`parts SIGKILL: seed ${SEED} (replay with JXC_CRASH_SEED=${SEED})\n`);
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-crash-parts-'));
    const seeds = xoroshiro128plus(SEED);
    const journal: Journal = { answers: new Map() };
    const lives: Life[] = [];
    let keep = process.env.JXC_CRASH_KEEP === '1';
    try {
      let service = await startService(dataDir, ADMIN);
      const keys = await adminSetup(service.url);

      for (let run = 0; run <= RUNS; run++) {
        const last = run === RUNS;
        if (!last) {
          for (let i = 0; i < NEW_PER_RUN; i++) {
            lives.push({ orderId: `p${run}-${i}`, rng: xoroshiro128plus(int(seeds, 0, 2 ** 31 - 1)), steps: int(seeds, 6, 14), view: null, pending: null, done: false });
          }
        }
        const running = lives.filter((life) => !life.done).map((life) => live(life, service, keys, journal).catch(() => undefined));
        if (last) {
          // After the last restart the lives still going end without a kill (their interrupted steps sent again first).
          await Promise.all(running);
          break;
        }
        await sleep(30 + int(seeds, 0, 400));
        await stopService(service, 'SIGKILL');
        await Promise.all(running);
        service = await startService(dataDir, ADMIN);
      }

      // The recovery path finishes what the kills interrupted; wait until every order settled, then stop.
      const orderIds = lives.map((life) => life.orderId);
      const open = () => SqliteEventStore.open({ dataDir, durability: 'full', fileName: 'events.sqlite' });
      const deadline = Date.now() + 60_000;
      let unsettled: string[] = [];
      do {
        await sleep(250);
        const snapshot = open();
        try {
          unsettled = await unsettledOrders(new AggregateRepository(snapshot), orderIds);
        } finally {
          await snapshot.close();
        }
      } while (unsettled.length > 0 && Date.now() < deadline);
      await stopService(service, 'SIGTERM');
      keep ||= unsettled.length > 0;
      process.stdout.write(`parts SIGKILL: ${lives.length} orders, ${lives.filter((life) => !life.done).length} lives unfinished; answers ${JSON.stringify(Object.fromEntries([...journal.answers].sort()))}\n`);
      expect(unsettled).toEqual([]);
      expect([...journal.answers.keys()].filter((what) => / 5\d\d/.test(what))).toEqual([]);

      const store = open();
      try {
        const log: RecordedEvent[] = [];
        for await (const event of store.readAll()) log.push(event);
        const repository = new AggregateRepository(store);
        const sales = await loadOrders(repository, orderIds);
        const problems = { twice: duplicateSteps(log), stock: await stockProblems(repository, log, OPENING, sales), sales: await saleProblems(repository, log, sales) };
        keep ||= Object.values(problems).some((found) => found.length > 0);
        expect(problems).toEqual({ twice: [], stock: [], sales: [] });

        // The lives did what the test is about: each kind of part happened.
        const count = (type: string) => log.filter((event) => event.type === type).length;
        const scopes = new Map<string, string>();
        let partialCancellations = 0;
        for (const event of log) {
          const data = event.data as { scope?: string };
          if (event.type === 'CancellationRequested') scopes.set(event.streamId, data.scope ?? 'whole');
          if (event.type === 'CancellationApproved' && scopes.get(event.streamId) !== 'whole') partialCancellations++;
        }
        const done = {
          partialShipments: sales.filter((order) => order.shipments.length > 1).length,
          partialCancellations,
          amendments: count('OrderAmended'),
          refusedAmendments: count('AmendmentRefused'),
          returnsReceived: count('ReturnReceived'),
          holds: count('OrderHeld'),
          refunds: count('RefundIssued'),
        };
        process.stdout.write(`parts SIGKILL: ${JSON.stringify(done)}\n`);
        // Orders refunded beyond paid − amount due: the amount due rose after a refund (shown, allowed up to the highest target).
        const repaid = [];
        for (const order of sales) {
          const payment = (await repository.load(paymentAggregate, paymentStream(order.orderId))).state;
          if (payment.refunded > Math.max(0, payment.paid - amountDue(order))) repaid.push(`${order.orderId}: ${historyOf(log, order.orderId)}`);
        }
        process.stdout.write(`parts SIGKILL: ${repaid.length} orders owe again after a refund${repaid.length > 0 ? `, e.g. ${repaid[0]}` : ''}\n`);
        expect(Object.entries(done).filter(([what, times]) => times === 0 && what !== 'refusedAmendments').map(([what]) => what)).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      // A failing run keeps its data directory (events.sqlite) for a look at the log; JXC_CRASH_KEEP=1 keeps every run's.
      if (keep) process.stdout.write(`parts SIGKILL: data directory kept: ${dataDir}\n`);
      else rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
