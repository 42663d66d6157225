import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { type Order, type OrderCommand, type OrderLineInput, paymentTerms } from '../domain/order/index.js';
import { orderSummary } from '../domain/processes/index.js';
import { type Context } from '../domain/shared/context.js';
import { isDomainError } from '../domain/shared/domain-error.js';
import { orderStream, paymentStream, stockStream } from '../domain/shared/streams.js';
import { stockLevel } from '../domain/stock/index.js';
import { asUser } from '../test/support/decider-spec.js';
import { orderFacts } from '../test/support/order-fixtures.js';
import { InMemoryLedger, runOrderProcess } from '../test/support/process-runner.js';
import { EventLog, fold, withoutBookkeeping } from '../test/support/projection-spec.js';
import { type OrderView, ordersView } from './orders.js';
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

const COMMANDS = [
  'process', 'ship', 'deliver', 'request', 'approve', 'reject', 'withdraw', 'receive', 'returnOne',
  // Orders in parts.
  'shipPart', 'deliverOne', 'requestLines', 'requestRemainder', 'amendUp', 'amendDown', 'amendNewSku', 'hold', 'release',
  'requestReturn', 'receiveNamedReturn', 'closeReturns', 'purchaseReturn',
] as const;
type OrderAction = { kind: 'order'; orderId: string; command: (typeof COMMANDS)[number]; line: number; quantity: number };

type Action =
  | { kind: 'stock'; sku: string; quantity: number }
  | { kind: 'thresholds'; sku: string; min: number; max: number }
  | { kind: 'pay'; orderId: string; amount: number }
  | OrderAction;

// Order commands are weighted up: an order in parts needs a few of them in a row (request then approve, ship then deliver then return).
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stock' as const), sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('thresholds' as const), sku: fc.constantFrom(...skus), min: fc.integer({ min: 0, max: 5 }), max: fc.integer({ min: 5, max: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), orderId: fc.constantFrom(...orderIds), amount: fc.integer({ min: 1, max: 3000 }) }) },
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      orderId: fc.constantFrom(...orderIds),
      command: fc.constantFrom(...COMMANDS),
      line: fc.nat({ max: 2 }),
      quantity: fc.integer({ min: 1, max: 2 }),
    }),
  },
);

/** The command an action stands for on the order as it is now (a sku of its lines, an open shipment or return), and who sends it. */
function commandFor(ledger: InMemoryLedger, act: OrderAction): { command: OrderCommand; as: Context } | null {
  const { orderId, quantity } = act;
  const order = ledger.order(orderId);
  if (order === null) return null;
  const sku = order.lines[act.line % order.lines.length].sku;
  switch (act.command) {
    case 'process': return { command: { type: 'ProcessOrder', orderId }, as: people.wendy };
    case 'ship': return { command: { type: 'ShipOrder', orderId, carrier: 'SF', trackingNumber: 'T1' }, as: people.wendy };
    case 'deliver': return { command: { type: 'DeliverOrder', orderId }, as: people.wendy };
    case 'request': return { command: { type: 'RequestCancellation', orderId, reason: 'changed mind', initiatedBy: 'customer' }, as: people.carol };
    case 'approve':
      return { command: order.kind === 'sale' ? { type: 'ApproveCancellation', orderId } : { type: 'ApproveCancellation', orderId, penalty: { amount: 50, payer: 'supplier' } }, as: people.alice };
    case 'reject': return { command: { type: 'RejectCancellation', orderId, reason: 'already packed' }, as: people.alice };
    case 'withdraw': return { command: { type: 'WithdrawCancellation', orderId }, as: people.carol };
    case 'receive': return { command: { type: 'ReceiveGoods', orderId, lines: [{ sku, quantity }] }, as: people.wendy };
    case 'returnOne': return { command: { type: 'ReceiveReturn', orderId, lines: [{ sku, quantity: 1, condition: 'resellable' }] }, as: people.wendy };
    default: return partsCommandFor(act, order, sku);
  }
}

function partsCommandFor(act: OrderAction, order: Order, sku: string): { command: OrderCommand; as: Context } | null {
  const { orderId, quantity } = act;
  const amend = (lines: OrderLineInput[]) => ({ command: { type: 'AmendOrder' as const, orderId, lines, reason: 'customer call' }, as: people.carol });
  const current = order.lines.map(({ sku: lineSku, quantity: ordered, unitPrice }) => ({ sku: lineSku, quantity: ordered, unitPrice }));
  switch (act.command) {
    case 'shipPart': return { command: { type: 'ShipOrder', orderId, lines: [{ sku, quantity }] }, as: people.wendy };
    case 'deliverOne': {
      const open = order.shipments.find((shipment) => shipment.deliveredAt === null);
      return { command: { type: 'DeliverOrder', orderId, shipmentId: open?.shipmentId ?? 'S1' }, as: people.wendy };
    }
    case 'requestLines': return { command: { type: 'RequestCancellation', orderId, reason: 'one too many', initiatedBy: 'customer', lines: [{ sku, quantity }] }, as: people.carol };
    case 'requestRemainder': return { command: { type: 'RequestCancellation', orderId, reason: 'rest not needed', initiatedBy: 'company', scope: 'remainder' }, as: people.carol };
    case 'amendUp': return amend(current.map((line) => (line.sku === sku ? { ...line, quantity: line.quantity + quantity } : line)));
    case 'amendDown': return amend(current.map((line) => (line.sku === sku ? { ...line, quantity: Math.max(0, line.quantity - quantity) } : line)));
    case 'amendNewSku': return amend([...current.filter((line) => line.sku !== 'MUG-1'), { sku: 'MUG-1', quantity, unitPrice: 300 }]);
    case 'hold': return { command: { type: 'HoldOrder', orderId, reason: 'address unclear' }, as: people.alice };
    case 'release': return { command: { type: 'ReleaseHold', orderId, note: 'sorted' }, as: people.wendy };
    case 'requestReturn': return { command: { type: 'RequestReturn', orderId, lines: [{ sku, quantity }], reason: 'does not fit' }, as: people.carol };
    case 'receiveNamedReturn': {
      const open = order.returns.filter((entry) => entry.closedAt === null).at(-1);
      const condition = quantity === 1 ? 'resellable' : 'damaged';
      return { command: { type: 'ReceiveReturn', orderId, returnId: open?.returnId ?? 'R1', lines: [{ sku, quantity: 1, condition }] }, as: people.wendy };
    }
    case 'closeReturns': return { command: { type: 'CloseReturns', orderId, reason: 'customer keeps the rest' }, as: people.wendy };
    case 'purchaseReturn': return { command: { type: 'ReturnToSupplier', orderId, lines: [{ sku, quantity }], reason: 'faulty batch' }, as: people.wendy };
    default: return null;
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
        const next = commandFor(ledger, act);
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
      fc.property(fc.array(action, { minLength: 0, maxLength: 120, size: 'max' }), (actions) => {
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
      { numRuns: 100 },
    );
  });

  describe('orders in parts, step by step: the view equals the write side after every command and its processes', () => {
    const send = (orderId: string, command: OrderCommand, as: Context) => (ledger: InMemoryLedger) => {
      ledger.execute(orderStream(orderId), { aggregate: 'order', command }, as);
      runOrderProcess(ledger, orderId, system);
    };
    const pay = (orderId: string, amount: number) => (ledger: InMemoryLedger) => {
      ledger.execute(paymentStream(orderId), { aggregate: 'payment', command: { type: 'RecordPayment', orderId, amount, method: 'card', terms: paymentTerms(ledger.order(orderId)!) } }, people.fiona);
      runOrderProcess(ledger, orderId, system);
    };
    const place = (orderId: string, kind: 'sale' | 'purchase', lines: OrderLineInput[]) =>
      send(orderId, { type: 'PlaceOrder', orderId, kind, partyId: 'party-1', warehouseId: 'main', currency: 'CNY', lines }, people.carol);
    const tea = (quantity: number) => ({ sku: 'TEA-1', quantity });
    const cup = (quantity: number) => ({ sku: 'CUP-1', quantity });
    const saleLines = [{ ...tea(3), unitPrice: 1000 }, { ...cup(2), unitPrice: 450 }];

    /** Runs the steps; after each, folds the whole log into the view and compares every order with orderSummary. Returns the last views. */
    function run(steps: readonly ((ledger: InMemoryLedger) => void)[]): Map<string, OrderView> {
      const ledger = new InMemoryLedger();
      for (const sku of [...skus, 'MUG-1']) ledger.execute(stockStream('main', sku), { aggregate: 'stock', command: { type: 'ReceiveStock', warehouseId: 'main', sku, quantity: 10 } }, people.wendy);
      let orders = new Map<string, OrderView>();
      for (const step of steps) {
        step(ledger);
        orders = fold(ordersView, new EventLog().appendAll(ledger.log));
        for (const [orderId, view] of orders) {
          const states = ledger.statesFor(orderId);
          expect(withoutBookkeeping(view)).toEqual(orderSummary(states.order!, states.payment, states.stocks));
        }
      }
      return orders;
    }

    it('partial shipments, delivery per shipment, the remainder cancelled: shipped, then closed', () => {
      const orders = run([
        place('s1', 'sale', saleLines),
        pay('s1', 3900),
        send('s1', { type: 'ShipOrder', orderId: 's1', lines: [tea(2)], carrier: 'SF', trackingNumber: 'T1' }, people.wendy),
        send('s1', { type: 'ShipOrder', orderId: 's1', lines: [cup(1)] }, people.wendy),
        send('s1', { type: 'DeliverOrder', orderId: 's1', shipmentId: 'S1' }, people.wendy),
        send('s1', { type: 'RequestCancellation', orderId: 's1', reason: 'rest not needed', initiatedBy: 'customer', scope: 'remainder' }, people.carol),
        send('s1', { type: 'ApproveCancellation', orderId: 's1' }, people.alice),
        send('s1', { type: 'DeliverOrder', orderId: 's1', shipmentId: 'S2' }, people.wendy),
      ]);
      expect(orders.get('s1')).toMatchObject({
        status: 'closed',
        lines: [expect.objectContaining({ sku: 'TEA-1', quantity: 3, cancelled: 1, shipped: 2, delivered: 2, reserved: 0 }), expect.objectContaining({ sku: 'CUP-1', cancelled: 1, shipped: 1, delivered: 1 })],
        shipments: [expect.objectContaining({ shipmentId: 'S1', lines: [tea(2)], carrier: 'SF' }), expect.objectContaining({ shipmentId: 'S2', lines: [cup(1)] })],
        cancellation: expect.objectContaining({ scope: 'remainder', cancelledLines: [tea(1), cup(1)] }),
        paid: 3900,
        refunded: 1000 + 450,
      });
    });

    it('a partial cancellation of shipped and unshipped units: released, returned through R1, refunded per unit back', () => {
      const orders = run([
        place('s1', 'sale', saleLines),
        pay('s1', 3900),
        send('s1', { type: 'ShipOrder', orderId: 's1', lines: [tea(2)] }, people.wendy),
        send('s1', { type: 'DeliverOrder', orderId: 's1' }, people.wendy),
        send('s1', { type: 'RequestCancellation', orderId: 's1', reason: 'one too many', initiatedBy: 'customer', lines: [tea(2), cup(1)] }, people.carol),
        send('s1', { type: 'ApproveCancellation', orderId: 's1' }, people.alice),
        send('s1', { type: 'ReceiveReturn', orderId: 's1', returnId: 'R1', lines: [{ ...tea(1), condition: 'damaged' }] }, people.wendy),
      ]);
      expect(orders.get('s1')).toMatchObject({
        status: 'partially_shipped',
        lines: [expect.objectContaining({ sku: 'TEA-1', cancelled: 1, shipped: 2, returned: 1, returnPending: 0, returnedDamaged: 1 }), expect.objectContaining({ sku: 'CUP-1', cancelled: 1, reserved: 1 })],
        returns: [expect.objectContaining({ returnId: 'R1', origin: 'cancellation', lines: [{ sku: 'TEA-1', quantity: 1, receivedResellable: 0, receivedDamaged: 1 }] })],
        cancellation: expect.objectContaining({ scope: 'lines', cancelledLines: [tea(1), cup(1)], returnLines: [tea(1)], returnId: 'R1' }),
      });
    });

    it('amendments: a decrease applied at once, an increase reserved then applied, one refused (nothing changes), one pending until its process runs', () => {
      const amendOnly = (lines: OrderLineInput[]) => (ledger: InMemoryLedger) =>
        void ledger.execute(orderStream('s1'), { aggregate: 'order', command: { type: 'AmendOrder', orderId: 's1', lines, reason: 'a mug too' } }, people.carol);
      const steps = [
        place('s1', 'sale', saleLines),
        send('s1', { type: 'AmendOrder', orderId: 's1', lines: [{ ...tea(2), unitPrice: 1000 }, { ...cup(2), unitPrice: 450 }], reason: 'one less' }, people.carol),
        send('s1', { type: 'AmendOrder', orderId: 's1', lines: [{ ...tea(4), unitPrice: 1000 }, { ...cup(2), unitPrice: 450 }], reason: 'more tea' }, people.carol),
        send('s1', { type: 'AmendOrder', orderId: 's1', lines: [{ ...tea(40), unitPrice: 1000 }, { ...cup(2), unitPrice: 450 }], reason: 'much more tea' }, people.carol),
        // Requested, its process not run yet: pending, the new sku a line of quantity 0, nothing reserved for it yet.
        amendOnly([{ ...tea(4), unitPrice: 1000 }, { ...cup(2), unitPrice: 450 }, { sku: 'MUG-1', quantity: 1, unitPrice: 300 }]),
      ];
      const pending = run(steps).get('s1')!;
      expect(pending.amendments.map((amendment) => [amendment.amendmentNo, amendment.state])).toEqual([[1, 'applied'], [2, 'applied'], [3, 'refused'], [4, 'pending']]);
      expect(pending.lines.find((line) => line.sku === 'MUG-1')).toMatchObject({ quantity: 0, reserved: 0 });
      expect(pending.lines.find((line) => line.sku === 'TEA-1')).toMatchObject({ quantity: 4, reserved: 4 });

      const applied = run([...steps, (ledger) => void runOrderProcess(ledger, 's1', system)]).get('s1')!;
      expect(applied.amendments.at(-1)).toMatchObject({ amendmentNo: 4, state: 'applied', amendedBy: 'carol' });
      expect(applied.lines.find((line) => line.sku === 'MUG-1')).toMatchObject({ quantity: 1, reserved: 1 });
      expect(applied.total).toBe(4 * 1000 + 2 * 450 + 300);
    });

    it('a hold: fulfilment refused, reservation kept, recorded in the view until released', () => {
      const held = run([
        place('s1', 'sale', saleLines),
        send('s1', { type: 'HoldOrder', orderId: 's1', reason: 'address unclear' }, people.alice),
        (ledger) => expect(() => send('s1', { type: 'ShipOrder', orderId: 's1' }, people.wendy)(ledger)).toThrow(expect.objectContaining({ code: 'on_hold' })),
      ]);
      expect(held.get('s1')).toMatchObject({ onHold: { reason: 'address unclear', by: 'alice' }, lines: [expect.objectContaining({ reserved: 3 }), expect.objectContaining({ reserved: 2 })] });
      const released = run([place('s1', 'sale', saleLines), send('s1', { type: 'HoldOrder', orderId: 's1', reason: 'x' }, people.alice), send('s1', { type: 'ReleaseHold', orderId: 's1' }, people.wendy)]);
      expect(released.get('s1')?.onHold).toBeNull();
    });

    it('a customer return after delivery, partly received, then closed: the order stays delivered', () => {
      const orders = run([
        place('s1', 'sale', saleLines),
        pay('s1', 3900),
        send('s1', { type: 'ShipOrder', orderId: 's1' }, people.wendy),
        send('s1', { type: 'DeliverOrder', orderId: 's1' }, people.wendy),
        send('s1', { type: 'RequestReturn', orderId: 's1', lines: [tea(2)], reason: 'does not fit' }, people.carol),
        send('s1', { type: 'ReceiveReturn', orderId: 's1', returnId: 'R1', lines: [{ ...tea(1), condition: 'resellable' }] }, people.wendy),
        send('s1', { type: 'CloseReturns', orderId: 's1', reason: 'customer keeps one' }, people.wendy),
      ]);
      expect(orders.get('s1')).toMatchObject({
        status: 'delivered',
        lines: [expect.objectContaining({ sku: 'TEA-1', returned: 1, returnPending: 0, returnedResellable: 1 }), expect.objectContaining({ sku: 'CUP-1', returned: 0 })],
        returns: [expect.objectContaining({ returnId: 'R1', origin: 'customer', closedBy: 'wendy', closeReason: 'customer keeps one' })],
        refunded: 1000,
      });
    });

    it('purchase returns: one done (on hand down, supplier owes it), one refused (the goods are reserved)', () => {
      const orders = run([
        place('p1', 'purchase', [{ ...tea(10), unitPrice: 600 }]),
        send('p1', { type: 'ReceiveGoods', orderId: 'p1', lines: [tea(10)] }, people.wendy),
        send('p1', { type: 'ReturnToSupplier', orderId: 'p1', lines: [tea(3)], reason: 'faulty batch' }, people.wendy),
        place('s1', 'sale', [{ ...tea(15), unitPrice: 1000 }]),
        send('p1', { type: 'ReturnToSupplier', orderId: 'p1', lines: [tea(5)], reason: 'more faulty' }, people.wendy),
      ]);
      expect(orders.get('p1')).toMatchObject({
        lines: [expect.objectContaining({ sku: 'TEA-1', received: 10, returned: 3 })],
        purchaseReturns: [expect.objectContaining({ returnId: 'PR1', state: 'done' }), expect.objectContaining({ returnId: 'PR2', state: 'refused', shortLines: [expect.objectContaining({ sku: 'TEA-1' })] })],
        supplierRefundDue: 3 * 600,
      });
    });
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
