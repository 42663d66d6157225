import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asUser } from '../../test/support/decider-spec.js';
import { InMemoryLedger, runOrderProcess } from '../../test/support/process-runner.js';
import { type Context } from '../shared/context.js';
import { isDomainError } from '../shared/domain-error.js';
import { orderStream, paymentStream, stockStream } from '../shared/streams.js';
import { type OrderCommand, orderTotal, paymentTerms, receivedValue } from '../order/index.js';
import { orderEntry } from '../stock/index.js';
import { incomingOf } from '../stock/state.js';
import { nextOrderStep } from './index.js';

const skus = ['TEA-1', 'CUP-1'];
const saleIds = ['s1', 's2', 's3'];
const purchaseIds = ['p1', 'p2'];
const orderIds = [...saleIds, ...purchaseIds];
const people: Record<string, Context> = {
  carol: asUser('carol', 'clerk'),
  dave: asUser('dave', 'clerk'),
  alice: asUser('alice', 'approver'),
  wendy: asUser('wendy', 'warehouse'),
  fiona: asUser('fiona', 'finance'),
};
const system = asUser('system');

/** A user action as data, so fast-check can shrink it. */
type Action =
  | { kind: 'stock'; sku: string; quantity: number }
  | { kind: 'count'; sku: string; counted: number }
  | { kind: 'place'; orderId: string; lines: { sku: string; quantity: number }[] }
  | { kind: 'pay'; orderId: string; amount: number }
  | { kind: 'order'; orderId: string; who: string; command: 'process' | 'ship' | 'deliver' | 'withdraw' | 'approve' | 'reject' }
  | { kind: 'request'; orderId: string; who: string; initiatedBy: 'customer' | 'company' | 'supplier' }
  | { kind: 'receive'; orderId: string; sku: string; quantity: number }
  | { kind: 'return'; orderId: string; sku: string; quantity: number; condition: 'resellable' | 'damaged' }
  | { kind: 'cancel'; orderId: string; who: string; initiatedBy: 'customer' | 'company' | 'supplier' }
  | { kind: 'returnAll'; orderId: string; condition: 'resellable' | 'damaged' }
  | { kind: 'crash'; afterSteps: number };

const anyOrder = fc.constantFrom(...orderIds);
const lines = fc.uniqueArray(fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 4 }) }), {
  minLength: 1,
  maxLength: 2,
  selector: (line) => line.sku,
});
const who = (usual: string, ...rare: string[]) => fc.oneof({ arbitrary: fc.constant(usual), weight: 4 }, { arbitrary: fc.constantFrom(usual, ...rare), weight: 1 });
const orderAction = (command: Extract<Action, { kind: 'order' }>['command'], people: fc.Arbitrary<string>) =>
  fc.record({ kind: fc.constant('order' as const), orderId: anyOrder, who: people, command: fc.constant(command) });
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('stock' as const), sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 6 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('count' as const), sku: fc.constantFrom(...skus), counted: fc.integer({ min: 0, max: 10 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('place' as const), orderId: anyOrder, lines }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('pay' as const), orderId: anyOrder, amount: fc.integer({ min: 1, max: 5000 }) }), weight: 2 },
  { arbitrary: orderAction('process', who('wendy')), weight: 1 },
  { arbitrary: orderAction('ship', who('wendy')), weight: 3 },
  { arbitrary: orderAction('deliver', who('wendy')), weight: 1 },
  { arbitrary: orderAction('approve', who('alice', 'carol')), weight: 1 },
  { arbitrary: orderAction('reject', who('alice')), weight: 1 },
  { arbitrary: orderAction('withdraw', who('carol', 'dave')), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      orderId: anyOrder,
      who: who('carol', 'dave', 'alice'),
      initiatedBy: fc.constantFrom('customer' as const, 'company' as const, 'supplier' as const),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('receive' as const), orderId: fc.constantFrom(...purchaseIds), sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 4 }) }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('return' as const),
      orderId: fc.constantFrom(...saleIds),
      sku: fc.constantFrom(...skus),
      quantity: fc.integer({ min: 1, max: 3 }),
      condition: fc.constantFrom('resellable' as const, 'damaged' as const),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      orderId: anyOrder,
      who: fc.constantFrom('carol', 'dave'),
      initiatedBy: fc.constantFrom('customer' as const, 'company' as const, 'supplier' as const),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('returnAll' as const), orderId: fc.constantFrom(...saleIds), condition: fc.constantFrom('resellable' as const, 'damaged' as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('crash' as const), afterSteps: fc.integer({ min: 0, max: 4 }) }), weight: 2 },
);

/** Opening stock and every order placed first, then the random life of the orders. */
const story: fc.Arbitrary<Action[]> = fc
  .tuple(
    fc.tuple(...skus.map((sku) => fc.integer({ min: 2, max: 14 }).map((quantity): Action => ({ kind: 'stock', sku, quantity })))),
    fc.tuple(...orderIds.map((orderId) => lines.map((placed): Action => ({ kind: 'place', orderId, lines: placed })))),
    fc.array(action, { minLength: 10, maxLength: 80, size: 'max' }),
  )
  .map(([stock, placements, rest]) => [...stock, ...placements, ...rest]);

function orderCommand(ledger: InMemoryLedger, act: Extract<Action, { kind: 'order' }>): OrderCommand {
  const { orderId } = act;
  switch (act.command) {
    case 'process': return { type: 'ProcessOrder', orderId };
    case 'ship': return { type: 'ShipOrder', orderId };
    case 'deliver': return { type: 'DeliverOrder', orderId };
    case 'withdraw': return { type: 'WithdrawCancellation', orderId };
    case 'reject': return { type: 'RejectCancellation', orderId, reason: 'no' };
    case 'approve':
      return ledger.order(orderId)?.kind === 'purchase'
        ? { type: 'ApproveCancellation', orderId, penalty: { amount: 100, payer: 'company' } }
        : { type: 'ApproveCancellation', orderId, refundMethod: 'cash' };
  }
}

/** Runs the user's action; refusals are part of life. Returns the order whose process should run. */
function perform(ledger: InMemoryLedger, act: Exclude<Action, { kind: 'crash' }>): string | null {
  try {
    switch (act.kind) {
      case 'stock':
        ledger.execute(stockStream('main', act.sku), { aggregate: 'stock', command: { type: 'ReceiveStock', warehouseId: 'main', sku: act.sku, quantity: act.quantity } }, people.wendy);
        return null;
      case 'count':
        ledger.execute(stockStream('main', act.sku), { aggregate: 'stock', command: { type: 'CountStock', warehouseId: 'main', sku: act.sku, countedQuantity: act.counted, reason: 'count' } }, people.wendy);
        return null;
      case 'place': {
        const kind = saleIds.includes(act.orderId) ? 'sale' : 'purchase';
        const placed = act.lines.map((line) => ({ ...line, unitPrice: 1000 }));
        const command: OrderCommand = { type: 'PlaceOrder', orderId: act.orderId, kind, partyId: 'party', warehouseId: 'main', currency: 'CNY', lines: placed };
        ledger.execute(orderStream(act.orderId), { aggregate: 'order', command }, people.carol);
        return act.orderId;
      }
      case 'pay': {
        const order = ledger.order(act.orderId);
        if (order === null) return null;
        const command = { type: 'RecordPayment' as const, orderId: act.orderId, amount: act.amount, method: 'card', terms: paymentTerms(order) };
        ledger.execute(paymentStream(act.orderId), { aggregate: 'payment', command }, people.fiona);
        return act.orderId;
      }
      case 'order':
        ledger.execute(orderStream(act.orderId), { aggregate: 'order', command: orderCommand(ledger, act) }, people[act.who]);
        return act.orderId;
      case 'request':
        ledger.execute(orderStream(act.orderId), {
          aggregate: 'order',
          command: { type: 'RequestCancellation', orderId: act.orderId, reason: 'because', initiatedBy: act.initiatedBy },
        }, people[act.who]);
        return act.orderId;
      case 'receive':
        ledger.execute(orderStream(act.orderId), { aggregate: 'order', command: { type: 'ReceiveGoods', orderId: act.orderId, lines: [{ sku: act.sku, quantity: act.quantity }] } }, people.wendy);
        return act.orderId;
      case 'cancel':
        perform(ledger, { kind: 'request', orderId: act.orderId, who: act.who, initiatedBy: act.initiatedBy });
        return perform(ledger, { kind: 'order', orderId: act.orderId, who: 'alice', command: 'approve' });
      case 'returnAll': {
        const order = ledger.order(act.orderId);
        const back = (order?.lines ?? [])
          .map((line) => ({ sku: line.sku, quantity: line.quantity - line.returnedResellable - line.returnedDamaged, condition: act.condition }))
          .filter((line) => line.quantity > 0);
        ledger.execute(orderStream(act.orderId), { aggregate: 'order', command: { type: 'ReceiveReturn', orderId: act.orderId, lines: back } }, people.wendy);
        return act.orderId;
      }
      case 'return':
        ledger.execute(orderStream(act.orderId), {
          aggregate: 'order',
          command: { type: 'ReceiveReturn', orderId: act.orderId, lines: [{ sku: act.sku, quantity: act.quantity, condition: act.condition }] },
        }, people.wendy);
        return act.orderId;
    }
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return null;
  }
}

function checkStocks(ledger: InMemoryLedger): void {
  for (const sku of skus) {
    const stock = ledger.stock('main', sku);
    expect(stock.onHand).toBeGreaterThanOrEqual(0);
    expect(stock.reserved).toBeLessThanOrEqual(stock.onHand);
    expect(stock.incoming).toBeGreaterThanOrEqual(0);
  }
}

function checkSettledOrder(ledger: InMemoryLedger, orderId: string): void {
  const states = ledger.statesFor(orderId);
  const { order, payment } = states;
  if (order === null) return;
  expect(nextOrderStep(states)).toBeNull();
  expect(payment.refunded).toBeLessThanOrEqual(payment.paid);
  expect(order.kind === 'sale' ? payment.paid : payment.deposits).toBeLessThanOrEqual(orderTotal(order));
  for (const line of order.lines) {
    const entry = orderEntry(ledger.stock('main', line.sku), orderId);
    if (order.status === 'rejected' || order.status === 'cancelled') expect(entry.reserved).toBe(0);
    if (order.kind === 'sale' && ['shipped', 'delivered', 'returning'].includes(order.status)) expect(entry.shipped).toBe(line.quantity);
    if (order.kind === 'sale') expect(entry.returned).toBe(line.returnedResellable);
    if (order.kind === 'purchase') expect(entry.received).toBe(line.received);
    if (order.status === 'closed' || (order.kind === 'purchase' && order.status === 'cancelled')) expect(incomingOf(entry)).toBe(0);
  }
  if (order.kind === 'sale' && order.status === 'cancelled') expect(payment.refunded).toBe(payment.paid);
  if (order.status === 'closed' || (order.kind === 'purchase' && order.status === 'cancelled')) {
    expect(payment.fundsReleased).toBe(payment.committed - receivedValue(order));
    expect(payment.supplierRefundDue).toBe(Math.max(0, payment.deposits - receivedValue(order)));
  }
}

describe('orders, stock and payments under random actions, crashes and recovery', () => {
  it('every order settles with stock and money consistent', () =>
    fc.assert(
      fc.property(story, (actions) => {
        const ledger = new InMemoryLedger();
        const crashed = new Set<string>();
        let crashBudget: number | undefined;
        for (const act of actions) {
          if (act.kind === 'crash') {
            crashBudget = act.afterSteps;
            continue;
          }
          const orderId = perform(ledger, act);
          if (orderId !== null) {
            const run = runOrderProcess(ledger, orderId, system, { maxSteps: crashBudget });
            if (!run.completed) crashed.add(orderId);
            crashBudget = undefined;
          }
          checkStocks(ledger);
        }
        // Recovery: the subscription runs every order's process to the end.
        for (const orderId of orderIds) runOrderProcess(ledger, orderId, system);
        checkStocks(ledger);
        for (const orderId of orderIds) checkSettledOrder(ledger, orderId);
      }),
      { numRuns: 100 },
    ));
});
