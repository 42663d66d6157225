import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stockStream } from '../../domain/index.js';
import { reservedFor } from '../../domain/stock/state.js';
import { type RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { stockAggregate } from '../../src/platform/write-model/aggregates.js';
import { type ServiceProcess, startService, stopService } from '../support/service-process.js';
import {
  type Answer,
  describeCommand,
  duplicatesOf,
  eventsByCommand,
  type KeyedCommand,
  keyedCommand,
  sendKeyed,
  sleep,
  successStatus,
  wasApplied,
} from './fault-support.js';
import { unsettledOrders } from '../support/settlement.js';

// The service as `npm start` runs it (dist/src/main.js) is killed with SIGKILL while keyed commands are in
// flight: placements, payments, cancellation requests and approvals of many orders at once. Half of the
// rounds use the test hook JXC_TEST_KILL_AFTER_APPEND (the store SIGKILLs its own process right after a
// commit, before anyone learns of it: between the append and the HTTP answer, every time); the other half
// a SIGKILL from outside at a random moment. After each kill the service starts again and every request
// that got no answer is sent again with the same Idempotency-Key and body: it must get the answer the
// command gave or would have given (2xx: every command sent was valid when sent), never a refusal caused
// by its own first attempt, and nothing may be appended twice. Requests that were answered are sent again
// too, and must get the same status. At the end every order's process has finished.
//
// A round starts with approvals and whole payments on orders made ready (and answered) before it, beside
// the lives of new orders (place, pay, ask to cancel, approve), so that the commands the issue names are in
// flight when the kill strikes.
//
// JXC_CRASH_RETRY_ROUNDS rounds (default 8, alternating hook and external kill), JXC_CRASH_RETRY_ORDERS
// concurrent new orders per wave and ready orders per round (default 16; a round sends waves until the
// kill struck, at most 4),
// JXC_CRASH_RETRY_KILL_P the hook's probability per commit (default 0.04).
const ROUNDS = Number(process.env.JXC_CRASH_RETRY_ROUNDS ?? 8);
const ORDERS = Number(process.env.JXC_CRASH_RETRY_ORDERS ?? 16);
const KILL_P = process.env.JXC_CRASH_RETRY_KILL_P ?? '0.04';
const ADMIN = 'crash-retry-admin-key-0123456789';
const SKUS = ['CR-A', 'CR-B', 'CR-C'];
const CUSTOMER = 'crash-retry-customer';

async function post(url: string, apiKey: string, path: string, body: unknown, id?: string): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
  if (id !== undefined) Object.assign(headers, { 'Idempotency-Key': id, 'X-Correlation-Id': id });
  try {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Answer['body']), retryAfter: response.headers.get('retry-after') ?? undefined };
  } catch {
    return { status: 0, body: {}, retryAfter: undefined };
  }
}

/** Starts the service, again if the kill hook struck during start-up (recovery appends as it starts). */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startService(dataDir, ADMIN, env);
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

async function readLog(dataDir: string): Promise<RecordedEvent[]> {
  const store = SqliteEventStore.open({ dataDir, durability: 'full' });
  try {
    const log: RecordedEvent[] = [];
    for await (const event of store.readAll()) log.push(event);
    return log;
  } finally {
    await store.close();
  }
}

interface RoundResult {
  readonly round: number;
  readonly how: 'hook' | 'external';
  readonly unanswered: number;
  readonly appliedUnanswered: number;
  readonly appliedKinds: readonly KeyedCommand['kind'][];
}

describe('keyed commands retried after a SIGKILL', () => {
  it(`get their first answer after ${ROUNDS} kills (half right after an append, half from outside), and nothing is appended twice`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-crash-retry-'));
    let service: ServiceProcess | undefined;
    try {
      service = await start(dataDir);
      const admin = (path: string, body: unknown) => post(service!.url, ADMIN, path, body);
      const keys = { clerk: String((await admin('/keys', { userId: 'cr-clerk', roles: ['clerk'] })).body.key), approver: String((await admin('/keys', { userId: 'cr-approver', roles: ['approver'] })).body.key) };
      expect((await admin('/customers', { id: CUSTOMER, name: 'Crash Retry Customer' })).status).toBe(201);
      for (const sku of SKUS) {
        expect((await admin('/products', { sku, name: sku, price: 500 })).status).toBe(201);
        expect((await admin('/stock/receipts', { sku, quantity: 100_000 })).status).toBe(201);
      }
      const orderIds: string[] = [];
      /** Orders for the next round's in-flight approvals (placed, paid in full, cancellation requested) and payments (placed, unpaid). */
      const prepare = async (url: string, round: number): Promise<{ toApprove: string[]; toPay: { orderId: string; total: number }[] }> => {
        const toApprove: string[] = [];
        const toPay: { orderId: string; total: number }[] = [];
        await Promise.all(
          Array.from({ length: ORDERS }, async (_, i) => {
            const orderId = `cr${round}-ready-${i}`;
            const quantity = 1 + (i % 3);
            const placed = await post(url, keys.clerk, '/orders', { orderId, kind: 'sale', partyId: CUSTOMER, lines: [{ sku: SKUS[i % SKUS.length], quantity, unitPrice: 500 }] });
            expect(placed.status).toBe(201);
            orderIds.push(orderId);
            if (i % 2 === 1) return void toPay.push({ orderId, total: quantity * 500 });
            expect((await post(url, keys.clerk, `/orders/${orderId}/payments`, { amount: quantity * 500, method: 'card' })).status).toBe(200);
            expect((await post(url, keys.clerk, `/orders/${orderId}/cancellation`, { reason: 'crash retry test', initiatedBy: 'customer' })).status).toBe(200);
            toApprove.push(orderId);
          }),
        );
        return { toApprove, toPay };
      };
      let ready = await prepare(service.url, 0);
      await stopService(service, 'SIGKILL');

      const all: KeyedCommand[] = [];
      const wrong: string[] = [];
      const replays: string[] = [];
      const rounds: RoundResult[] = [];

      for (let round = 0; round < ROUNDS; round++) {
        const how = round % 2 === 0 ? 'hook' : 'external';
        service = await start(dataDir, how === 'hook' ? { JXC_TEST_KILL_AFTER_APPEND: KILL_P } : {});
        const url = service.url;
        const child = service.child;
        const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
        const dead = () => child.exitCode !== null || child.signalCode !== null;
        // External kills strike a few ms after a random answer of the round, while the next requests are in flight.
        const killAt = how === 'external' ? 1 + Math.floor(Math.random() * 2 * ORDERS) : Number.POSITIVE_INFINITY;
        let answers = 0;
        const sent: KeyedCommand[] = [];
        /** Sends once; a command without an answer (or refused) ends the order's life for this round. */
        const once = async (command: KeyedCommand): Promise<boolean> => {
          sent.push(command);
          const answer = await post(url, command.apiKey, command.path, command.body, command.id);
          command.answers.push(answer);
          if (answer.status !== 0 && ++answers === killAt) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 10));
          return answer.status === successStatus(command.kind);
        };
        const life = async (wave: number, i: number): Promise<void> => {
          const orderId = `cr${round}-${wave}-${i}`;
          orderIds.push(orderId);
          const lines = [{ sku: SKUS[i % SKUS.length], quantity: 1 + (i % 3), unitPrice: 500 }];
          const total = lines[0].quantity * lines[0].unitPrice;
          const command = (kind: KeyedCommand['kind'], apiKey: string, path: string, body: Record<string, unknown>) => keyedCommand(`${orderId}.${kind}`, kind, orderId, apiKey, path, body);
          if (!(await once(command('place', keys.clerk, '/orders', { orderId, kind: 'sale', partyId: CUSTOMER, lines })))) return;
          // The whole amount mostly: a retried payment that re-ran would then be refused as an overpayment.
          if (!(await once(command('pay', keys.clerk, `/orders/${orderId}/payments`, { amount: i % 4 === 1 ? total - 1 : total, method: 'card' })))) return;
          if (i % 4 === 3) return;
          if (!(await once(command('request', keys.clerk, `/orders/${orderId}/cancellation`, { reason: 'crash retry test', initiatedBy: 'customer' })))) return;
          await once(command('approve', keys.approver, `/orders/${orderId}/cancellation/approve`, {}));
        };
        // Waves of concurrent order lives until the kill struck (the hook strikes at a random commit; at most 4 waves).
        const waves: Promise<void[]>[] = [];
        // (A request without an answer says the kill struck before the child's exit event may have arrived.)
        const struck = () => dead() || sent.some((command) => command.answers[0]?.status === 0);
        for (let wave = 0; wave < 4 && !struck(); wave++) {
          const lives = Array.from({ length: ORDERS }, (_, i) => life(wave, i));
          if (wave === 0) {
            // Approvals and whole payments in flight from the start, beside the new orders' lives.
            for (const orderId of ready.toApprove) lives.push(once(keyedCommand(`${orderId}.approve`, 'approve', orderId, keys.approver, `/orders/${orderId}/cancellation/approve`, {})).then(() => undefined));
            for (const { orderId, total } of ready.toPay) lives.push(once(keyedCommand(`${orderId}.pay`, 'pay', orderId, keys.clerk, `/orders/${orderId}/payments`, { amount: total, method: 'card' })).then(() => undefined));
          }
          waves.push(Promise.all(lives));
          await Promise.race([exited, waves[wave]]);
        }
        const lives = Promise.all(waves);
        await stopService(service, 'SIGKILL');
        await lives;

        // What the first attempts wrote, read before anything runs again.
        const byCommand = eventsByCommand(await readLog(dataDir));
        // No answer, or a 5xx (not an answer of the command: a client sends it again): retried. The rest: replayed.
        const unanswered = sent.filter((command) => command.answers[0].status === 0 || command.answers[0].status >= 500);
        const answered = sent.filter((command) => !unanswered.includes(command));
        const applied = new Set(unanswered.filter((command) => wasApplied(command, byCommand)));
        rounds.push({ round, how, unanswered: unanswered.length, appliedUnanswered: applied.size, appliedKinds: [...applied].map((command) => command.kind) });

        service = await start(dataDir);
        const retryUrl = service.url;
        const resend = (command: KeyedCommand) => sendKeyed(async (c) => post(retryUrl, c.apiKey, c.path, c.body, c.id), command, 5);
        await Promise.all(
          unanswered.map(async (command) => {
            const answer = await resend(command);
            if (answer.status !== successStatus(command.kind)) wrong.push(`round ${round} (${how}): ${describeCommand(command, applied.has(command))}`);
          }),
        );
        await Promise.all(
          answered.map(async (command) => {
            const first = command.answers[0];
            const again = await post(retryUrl, command.apiKey, command.path, command.body, command.id);
            if (again.status !== first.status || again.body.error?.code !== first.body.error?.code) replays.push(`round ${round}: ${command.kind} ${command.orderId}: first ${first.status}, again ${again.status} ${again.body.error?.code ?? ''}`);
          }),
        );
        all.push(...sent);
        if (round + 1 < ROUNDS) ready = await prepare(retryUrl, round + 1);
        await stopService(service, 'SIGKILL');
      }

      // The last start runs recovery over what the kills interrupted: every process finishes.
      service = await start(dataDir);
      const deadline = Date.now() + 60_000;
      let pending: string[];
      do {
        await sleep(250);
        const store = SqliteEventStore.open({ dataDir, durability: 'full' });
        try {
          pending = await unsettledOrders(new AggregateRepository(store), orderIds);
        } finally {
          await store.close();
        }
      } while (pending.length > 0 && Date.now() < deadline);
      await stopService(service, 'SIGTERM');

      const log = await readLog(dataDir);
      const byCommand = eventsByCommand(log);
      process.stdout.write(
        `crash retry: ${rounds.map((r) => `round ${r.round} (${r.how}): ${r.unanswered} unanswered, ${r.appliedUnanswered} of them applied (${r.appliedKinds.join(" ")})`).join('; ')}\n`,
      );
      const appliedUnanswered = rounds.reduce((sum, r) => sum + r.appliedUnanswered, 0);
      const kinds = rounds.flatMap((r) => r.appliedKinds);
      process.stdout.write(`crash retry: applied but unanswered, then retried: ${(['place', 'pay', 'request', 'approve'] as const).map((kind) => `${kinds.filter((k) => k === kind).length} ${kind}`).join(', ')}\n`);
      // The point of the test: commands that were applied and never answered, from both kinds of kill.
      expect(appliedUnanswered).toBeGreaterThan(0);
      expect(rounds.filter((r) => r.how === 'hook').reduce((sum, r) => sum + r.appliedUnanswered, 0)).toBeGreaterThan(0);

      expect({ wrongRetries: wrong, differentReplays: replays }).toEqual({ wrongRetries: [], differentReplays: [] });
      expect(all.flatMap((command) => duplicatesOf(command, byCommand).map((duplicate) => `${command.id}: ${duplicate}`))).toEqual([]);
      expect(pending).toEqual([]);
      expect(onceEach(log, orderIds)).toEqual([]);

      // Nothing shipped: on hand untouched; reserved is what the orders still placed hold.
      const store = SqliteEventStore.open({ dataDir, durability: 'full' });
      try {
        const repository = new AggregateRepository(store);
        for (const sku of SKUS) {
          const stock = (await repository.load(stockAggregate, stockStream('main', sku))).state;
          let held = 0;
          for (const orderId of orderIds) held += reservedFor(stock, orderId);
          expect({ sku, onHand: stock.onHand, reserved: stock.reserved }).toEqual({ sku, onHand: 100_000, reserved: held });
        }
      } finally {
        await store.close();
      }
    } finally {
      if (service) await stopService(service, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});


/** Per order: placed once, reserved and released at most once per stock stream, refunded what was paid at most. */
function onceEach(log: readonly RecordedEvent[], orderIds: readonly string[]): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  const money = new Map<string, { paid: number; refunded: number }>();
  for (const event of log) {
    const orderId = (event.data as { orderId?: string } | null)?.orderId;
    if (orderId === undefined) continue;
    const key = `${orderId} ${event.streamId} ${event.type}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const amount = (event.data as { amount?: number }).amount ?? 0;
    const sums = money.get(orderId) ?? { paid: 0, refunded: 0 };
    if (event.type === 'PaymentReceived') sums.paid += amount;
    if (event.type === 'RefundIssued') sums.refunded += amount;
    money.set(orderId, sums);
  }
  for (const [key, count] of counts) {
    if (count > 1 && /(OrderPlaced|CancellationApproved|OrderCancelled|StockReserved|StockReleased|RefundIssued|PaymentReceived)$/.test(key)) problems.push(`${key} x${count}`);
  }
  for (const orderId of orderIds) {
    const sums = money.get(orderId);
    if (sums && sums.refunded > sums.paid) problems.push(`${orderId}: refunded ${sums.refunded} > paid ${sums.paid}`);
  }
  return problems;
}
