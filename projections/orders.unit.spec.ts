import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { type OrderCommand, paymentTerms } from '../domain/order/index.js';
import { orderSummary } from '../domain/processes/index.js';
import { type Context } from '../domain/shared/context.js';
import { isDomainError } from '../domain/shared/domain-error.js';
import { orderStream, paymentStream, stockStream } from '../domain/shared/streams.js';
import { stockLevel } from '../domain/stock/index.js';
import { asUser } from '../test/support/decider-spec.js';
import { orderFacts } from '../test/support/order-fixtures.js';
import { InMemoryLedger, runOrderProcess } from '../test/support/process-runner.js';
import { EventLog, fold, withoutBookkeeping } from '../test/support/projection-spec.js';
import { ordersView } from './orders.js';
import { stockLevelsView } from './stock-levels.js';

const skus = ['TEA-1', 'CUP-1'];
const orderIds = ['s1', 's2', 's3', 'p1', 'p2'];
const people: Record<string, Context> = {
  carol: asUser('carol', 'clerk'),
  alice: asUser('alice', 'approver'),
  wendy: asUser('wendy', 'warehouse'),
  fiona: asUser('fiona', 'finance'),
};
const system = asUser('system');

type Action =
  | { kind: 'stock'; sku: string; quantity: number }
  | { kind: 'thresholds'; sku: string; min: number; max: number }
  | { kind: 'pay'; orderId: string; amount: number }
  | { kind: 'order'; orderId: string; command: 'process' | 'ship' | 'deliver' | 'request' | 'approve' | 'reject' | 'withdraw' | 'receive' | 'returnOne' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('stock' as const), sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('thresholds' as const), sku: fc.constantFrom(...skus), min: fc.integer({ min: 0, max: 5 }), max: fc.integer({ min: 5, max: 12 }) }),
  fc.record({ kind: fc.constant('pay' as const), orderId: fc.constantFrom(...orderIds), amount: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({
    kind: fc.constant('order' as const),
    orderId: fc.constantFrom(...orderIds),
    command: fc.constantFrom('process' as const, 'ship' as const, 'deliver' as const, 'request' as const, 'approve' as const, 'reject' as const, 'withdraw' as const, 'receive' as const, 'returnOne' as const),
  }),
);

function commandFor(ledger: InMemoryLedger, orderId: string, command: Extract<Action, { kind: 'order' }>['command']): { command: OrderCommand; as: Context } | null {
  const order = ledger.order(orderId);
  if (order === null) return null;
  switch (command) {
    case 'process': return { command: { type: 'ProcessOrder', orderId }, as: people.wendy };
    case 'ship': return { command: { type: 'ShipOrder', orderId, carrier: 'SF', trackingNumber: 'T1' }, as: people.wendy };
    case 'deliver': return { command: { type: 'DeliverOrder', orderId }, as: people.wendy };
    case 'request': return { command: { type: 'RequestCancellation', orderId, reason: 'changed mind', initiatedBy: 'customer' }, as: people.carol };
    case 'approve':
      return { command: order.kind === 'sale' ? { type: 'ApproveCancellation', orderId } : { type: 'ApproveCancellation', orderId, penalty: { amount: 50, payer: 'supplier' } }, as: people.alice };
    case 'reject': return { command: { type: 'RejectCancellation', orderId, reason: 'already packed' }, as: people.alice };
    case 'withdraw': return { command: { type: 'WithdrawCancellation', orderId }, as: people.carol };
    case 'receive': return { command: { type: 'ReceiveGoods', orderId, lines: [{ sku: order.lines[0].sku, quantity: 1 }] }, as: people.wendy };
    case 'returnOne': return { command: { type: 'ReceiveReturn', orderId, lines: [{ sku: order.lines[0].sku, quantity: 1, condition: 'resellable' }] }, as: people.wendy };
  }
}

/** Opening stock, five orders, then their random lives, each command followed by its processes, as the service runs them. */
function live(actions: readonly Action[]): InMemoryLedger {
  const ledger = new InMemoryLedger();
  const attempt = (work: () => unknown) => {
    try {
      work();
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  };
  for (const sku of skus) ledger.execute(stockStream('main', sku), { aggregate: 'stock', command: { type: 'ReceiveStock', warehouseId: 'main', sku, quantity: 8 } }, people.wendy);
  for (const orderId of orderIds) {
    const kind = orderId.startsWith('s') ? 'sale' : 'purchase';
    const lines = [{ sku: 'TEA-1', quantity: 2, unitPrice: 1000 }, { sku: 'CUP-1', quantity: 1, unitPrice: 450 }];
    ledger.execute(orderStream(orderId), { aggregate: 'order', command: { type: 'PlaceOrder', orderId, kind, partyId: 'party-1', warehouseId: 'main', currency: 'CNY', lines } }, people.carol);
    runOrderProcess(ledger, orderId, system);
  }
  for (const act of actions) {
    switch (act.kind) {
      case 'stock':
        attempt(() => ledger.execute(stockStream('main', act.sku), { aggregate: 'stock', command: { type: 'ReceiveStock', warehouseId: 'main', sku: act.sku, quantity: act.quantity } }, people.wendy));
        break;
      case 'thresholds':
        attempt(() => ledger.execute(stockStream('main', act.sku), { aggregate: 'stock', command: { type: 'SetStockThresholds', warehouseId: 'main', sku: act.sku, min: act.min, max: act.max } }, people.wendy));
        break;
      case 'pay': {
        const order = ledger.order(act.orderId);
        if (order === null) break;
        attempt(() => ledger.execute(paymentStream(act.orderId), { aggregate: 'payment', command: { type: 'RecordPayment', orderId: act.orderId, amount: act.amount, method: 'card', terms: paymentTerms(order) } }, people.fiona));
        runOrderProcess(ledger, act.orderId, system);
        break;
      }
      case 'order': {
        const next = commandFor(ledger, act.orderId, act.command);
        if (next === null) break;
        attempt(() => ledger.execute(orderStream(act.orderId), { aggregate: 'order', command: next.command }, next.as));
        runOrderProcess(ledger, act.orderId, system);
        break;
      }
    }
  }
  return ledger;
}

describe('orders view', () => {
  it('agrees with the write side (orderSummary) on every order, whatever happened to it', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 0, maxLength: 60 }), (actions) => {
        const ledger = live(actions);
        const log = new EventLog();
        const orders = fold(ordersView, log.appendAll(ledger.log));
        for (const orderId of orderIds) {
          const states = ledger.statesFor(orderId);
          const view = orders.get(orderId);
          expect(withoutBookkeeping(view)).toEqual(orderSummary(states.order!, states.payment, states.stocks));
          expect(view?.revision).toBe(ledger.events(orderStream(orderId)).length - 1);
        }
        const levels = fold(stockLevelsView, log.events);
        for (const sku of skus) {
          expect(levels.get(stockStream('main', sku))).toMatchObject(stockLevel(ledger.stock('main', sku)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('stamps the last event applied: the order revision from order events, the position from any', () => {
    const log = new EventLog();
    const facts = orderFacts('o1');
    log.append(orderStream('o1'), facts.salePlaced());
    log.append(stockStream('main', 'TEA-1'), { type: 'StockReserved', data: { warehouseId: 'main', sku: 'TEA-1', orderId: 'o1', quantity: 2 } });
    const view = fold(ordersView, log.events).get('o1');
    expect(view).toMatchObject({ revision: 0, position: '2', status: 'placed', lines: [{ sku: 'TEA-1', reserved: 2 }, { sku: 'CUP-1', reserved: 0 }] });
  });

  it('changes nothing when an event is delivered again', () => {
    const log = new EventLog();
    const facts = orderFacts('o1');
    const events = [
      log.append(orderStream('o1'), facts.salePlaced()),
      log.append(stockStream('main', 'TEA-1'), { type: 'StockReserved', data: { warehouseId: 'main', sku: 'TEA-1', orderId: 'o1', quantity: 2 } }),
      log.append(paymentStream('o1'), { type: 'PaymentReceived', data: { orderId: 'o1', amount: 1000, currency: 'CNY', method: 'card' } }),
      log.append(orderStream('o1'), facts.processed()),
    ];
    const once = fold(ordersView, events);
    expect(fold(ordersView, [...events, ...events])).toEqual(once);
    // Even applied directly, without the runner's position check, an order event already folded is a no-op.
    expect(ordersView.apply(once.get('o1')!, events[0], 'o1')).toBe(once.get('o1'));
    expect(once.get('o1')).toMatchObject({ paid: 1000, status: 'processing' });
  });

  it('a rejected or withdrawn cancellation leaves the order where it was; never back to placed', () => {
    const log = new EventLog();
    const facts = orderFacts('o1');
    const events = [facts.salePlaced(), facts.reserved(), facts.processed(), facts.cancellationRequested(), facts.cancellationRejected(), facts.shipped(), facts.cancellationRequested(), facts.cancellationWithdrawn()];
    const view = fold(ordersView, events.map((event) => log.append(orderStream('o1'), event))).get('o1');
    expect(view).toMatchObject({ status: 'shipped', cancellation: { state: 'withdrawn', decidedBy: 'carol' } });
  });

  it('an approved cancellation after shipment makes the order returning, then cancelled; never placed again', () => {
    const log = new EventLog();
    const facts = orderFacts('o1');
    const events = [facts.salePlaced(), facts.reserved(), facts.shipped(), facts.cancellationRequested(), facts.cancellationApproved('return_and_refund')];
    const returning = fold(ordersView, events.map((event) => log.append(orderStream('o1'), event)));
    expect(returning.get('o1')).toMatchObject({ status: 'returning', cancellation: { state: 'approved', outcome: 'return_and_refund', decidedBy: 'alice' } });
    const cancelled = fold(ordersView, [log.append(orderStream('o1'), facts.cancelled())], returning);
    expect(cancelled.get('o1')?.status).toBe('cancelled');
  });

  it('keeps the times of the events, not of the projection', () => {
    const log = new EventLog();
    const placed = orderFacts('o1', '2026-01-05T08:00:00.000Z');
    const later = orderFacts('o1', '2026-01-06T10:30:00.000Z');
    const view = fold(ordersView, [log.append(orderStream('o1'), placed.salePlaced()), log.append(orderStream('o1'), later.reserved())]).get('o1');
    expect(view).toMatchObject({ placedAt: '2026-01-05T08:00:00.000Z', updatedAt: '2026-01-06T10:30:00.000Z' });
  });

  it('ignores money and stock of an order it has not seen placed, and stock of another warehouse', () => {
    const log = new EventLog();
    const orphan = log.append(paymentStream('ghost'), { type: 'PaymentReceived', data: { orderId: 'ghost', amount: 5, currency: 'CNY', method: 'cash' } });
    expect(fold(ordersView, [orphan]).size).toBe(0);
    const placed = log.append(orderStream('o1'), orderFacts('o1').salePlaced());
    const elsewhere = log.append(stockStream('north', 'TEA-1'), { type: 'StockReserved', data: { warehouseId: 'north', sku: 'TEA-1', orderId: 'o1', quantity: 2 } });
    expect(fold(ordersView, [placed, elsewhere]).get('o1')?.lines[0].reserved).toBe(0);
  });

  it('ignores events of streams that are not business facts', () => {
    const log = new EventLog();
    const key = log.append('apikeys', { type: 'ApiKeyIssued', data: { keyId: 'k', userId: 'u', roles: ['clerk'], keyHash: 'h' } });
    expect(ordersView.documentIds(key)).toEqual([]);
    expect(stockLevelsView.documentIds(key)).toEqual([]);
  });
});
