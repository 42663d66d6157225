import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asUser } from '../../test/support/decider-spec.js';
import { onHandChange } from '../../test/support/stock-events.js';
import { type Action, ORDER_IDS, perform, performRequest, SKUS, story } from '../../test/support/order-actions.js';
import { InMemoryLedger, runOrderProcess } from '../../test/support/process-runner.js';
import { isDomainError } from '../shared/domain-error.js';
import { stockStream } from '../shared/streams.js';
import { isFinished, type Order, requiredQuantity, returnedQuantity } from '../order/index.js';
import { type StockEvent } from '../stock/index.js';
import { incomingOf, orderEntries, orderEntry } from '../stock/state.js';
import { nextOrderStep, stockPositionsOf } from './index.js';
import { type ProcessStep } from './step.js';

/**
 * Random lives of three sales and two purchases on shared stock: placement, partial shipments and deliveries,
 * amendments, holds, cancellations of lines, of the remainder or of everything, approvals and rejections,
 * customer returns, receipts, purchase returns and payments, with the processes run after each action, crashing
 * now and then (recovery runs them later) and with steps already run delivered again.
 */

const system = asUser('system');
/** No order's process needs more steps than this to settle after one action. */
const STEP_BOUND = 40;

/** Never oversold, never negative, and each position equal to the sum of its events and of its order entries. */
function checkStocks(ledger: InMemoryLedger): void {
  for (const sku of SKUS) {
    const stock = ledger.stock('main', sku);
    expect(stock.onHand).toBeGreaterThanOrEqual(0);
    expect(stock.reserved).toBeGreaterThanOrEqual(0);
    expect(stock.reserved).toBeLessThanOrEqual(stock.onHand);
    expect(stock.incoming).toBeGreaterThanOrEqual(0);
    const events = ledger.events(stockStream('main', sku)) as StockEvent[];
    expect(stock.onHand).toBe(events.reduce((sum, event) => sum + onHandChange(event), 0));
    const entries = orderEntries(stock).map(([, entry]) => entry);
    expect(stock.reserved).toBe(entries.reduce((sum, entry) => sum + entry.reserved, 0));
    for (const entry of entries) expect(entry.reserved).toBeGreaterThanOrEqual(0);
  }
}

/** What holds at every moment, settled or not: the line counters and the money never cross each other. */
function checkOrder(ledger: InMemoryLedger, orderId: string): void {
  const order = ledger.order(orderId);
  if (order === null) return;
  const payment = ledger.payment(orderId);
  expect(payment.refunded).toBeLessThanOrEqual(payment.paid);
  for (const line of order.lines) {
    if (order.kind === 'sale') {
      expect(line.shipped).toBeLessThanOrEqual(line.quantity - line.cancelled);
      expect(line.delivered).toBeLessThanOrEqual(line.shipped);
      expect(returnedQuantity(line) + line.returnPending).toBeLessThanOrEqual(line.shipped);
      expect(orderEntry(ledger.stock('main', line.sku), orderId).shipped).toBeLessThanOrEqual(line.shipped);
    } else {
      expect(line.returnedToSupplier).toBeLessThanOrEqual(line.received);
    }
  }
}

/** What the customer owes: every unit neither cancelled nor returned at its line price (nothing once rejected). */
const owed = (order: Order): number =>
  order.status === 'rejected' ? 0 : order.lines.reduce((sum, line) => sum + (line.quantity - line.cancelled - returnedQuantity(line)) * line.unitPrice, 0);

/** A payment is taken only up to what is owed: the customer never keeps more paid than the order is worth. */
function checkPaidAtMostOwed(ledger: InMemoryLedger, orderId: string): void {
  const order = ledger.order(orderId);
  const payment = ledger.payment(orderId);
  if (order?.kind === 'sale') expect(payment.paid - payment.refunded).toBeLessThanOrEqual(owed(order));
  if (order?.kind === 'purchase') expect(payment.deposits).toBeLessThanOrEqual(order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0));
}

/** Once the processes settled: the stock and the money say what the order says. */
function checkSettledOrder(ledger: InMemoryLedger, orderId: string, highestRefundDue: number): void {
  const states = ledger.statesFor(orderId);
  const { order, payment } = states;
  if (order === null) return;
  expect(nextOrderStep(states)).toBeNull();
  if (order.kind === 'sale') {
    checkSettledSale(ledger, order);
    // Everything paid beyond what is owed went back, and never more than was ever owed back.
    expect(payment.paid - payment.refunded).toBeLessThanOrEqual(owed(order));
    expect(payment.refunded).toBeLessThanOrEqual(highestRefundDue);
    if (order.status === 'cancelled' || order.status === 'rejected') expect(payment.refunded).toBe(payment.paid);
    return;
  }
  for (const line of order.lines) {
    const entry = orderEntry(ledger.stock('main', line.sku), orderId);
    expect(entry.received).toBe(line.received);
    expect(entry.returnedToSupplier).toBe(line.returnedToSupplier);
    if (isFinished(order)) expect(incomingOf(entry)).toBe(0);
  }
  expect(order.purchaseReturns.every((entry) => entry.state !== 'pending')).toBe(true);
  const value = (count: (line: Order['lines'][number]) => number) => order.lines.reduce((sum, line) => sum + count(line) * line.unitPrice, 0);
  const cancelled = order.cancellation?.state === 'approved';
  // The supplier owes the goods sent back, and after a cancellation the deposits beyond the goods received.
  expect(payment.supplierRefundDue).toBe(value((line) => line.returnedToSupplier) + (cancelled ? Math.max(0, payment.deposits - value((line) => line.received)) : 0));
  if (cancelled) expect(payment.fundsReleased).toBe(payment.committed - value((line) => line.received));
}

function checkSettledSale(ledger: InMemoryLedger, order: Order): void {
  const tracked = new Set(stockPositionsOf(order).map((position) => position.sku));
  for (const sku of SKUS) {
    const entry = orderEntry(ledger.stock('main', sku), order.orderId);
    const line = order.lines.find((candidate) => candidate.sku === sku);
    if (line === undefined) {
      // A sku the order has no line for holds nothing for it (a refused amendment's new sku is released).
      expect(entry.reserved).toBe(0);
      if (!tracked.has(sku)) expect(entry.reserved + entry.shipped).toBe(0);
      continue;
    }
    expect(entry.shipped).toBe(line.shipped);
    expect(entry.returned).toBe(line.returnedResellable);
    expect(entry.reserved).toBe(order.reservation === 'complete' ? Math.max(0, requiredQuantity(order, line) - line.shipped) : 0);
    if (isFinished(order)) expect(entry.reserved).toBe(0);
  }
}

interface Played {
  readonly ledger: InMemoryLedger;
  readonly executed: ProcessStep[];
  /** Per sale, the most the customer was ever owed back (paid beyond what was owed), seen after each process run. */
  readonly highestRefundDue: Map<string, number>;
}

/** Runs the order's process to the end (or to the crash), checking it settles within the bound. */
function runProcess(played: Played, orderId: string, maxSteps?: number): void {
  const { ledger } = played;
  const run = runOrderProcess(ledger, orderId, system, { maxSteps });
  played.executed.push(...run.steps);
  if (run.completed) expect(run.steps.length).toBeLessThanOrEqual(STEP_BOUND);
  const order = ledger.order(orderId);
  if (order?.kind !== 'sale') return;
  const due = Math.max(0, ledger.payment(orderId).paid - owed(order));
  played.highestRefundDue.set(orderId, Math.max(due, played.highestRefundDue.get(orderId) ?? 0));
}

/** A step run before runs again: it appends nothing (a refusal is allowed: the state moved on). */
function rerun(ledger: InMemoryLedger, executed: readonly ProcessStep[], pick: number): string | null {
  if (executed.length === 0) return null;
  const step = executed[pick % executed.length];
  try {
    expect(ledger.runStep(step, system)).toEqual([]);
  } catch (error) {
    if (!isDomainError(error)) throw error;
  }
  return 'orderId' in step.command ? step.command.orderId : null;
}

function play(actions: readonly Action[]): Played {
  const played: Played = { ledger: new InMemoryLedger(), executed: [], highestRefundDue: new Map() };
  const { ledger } = played;
  let crashAfter: number | undefined;
  for (const act of actions) {
    if (act.kind === 'crash') {
      crashAfter = act.afterSteps;
      continue;
    }
    const orderId = act.kind === 'rerun' ? rerun(ledger, played.executed, act.pick) : act.kind === 'request' ? performRequest(ledger, act) : perform(ledger, act);
    if (act.kind === 'pay' && orderId !== null) checkPaidAtMostOwed(ledger, orderId);
    if (orderId !== null) {
      runProcess(played, orderId, crashAfter);
      crashAfter = undefined;
      checkOrder(ledger, orderId);
    }
    checkStocks(ledger);
  }
  // Recovery: the subscription runs every order's process to the end.
  for (const orderId of ORDER_IDS) runProcess(played, orderId);
  return played;
}

describe('orders in parts, stock and payments under random actions, crashes, duplicated steps and recovery', () => {
  it('every order settles with stock and money consistent, never oversold, never refunded above paid', () =>
    fc.assert(
      fc.property(story, (actions) => {
        const { ledger, highestRefundDue } = play(actions);
        checkStocks(ledger);
        for (const orderId of ORDER_IDS) checkSettledOrder(ledger, orderId, highestRefundDue.get(orderId) ?? 0);
      }),
      { numRuns: 100 },
    ));
});
