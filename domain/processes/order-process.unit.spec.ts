import { describe, expect, it } from '@jest/globals';
import { InMemoryLedger, runOrderProcess } from '../../test/support/process-runner.js';
import { SPEC_NOW } from '../../test/support/decider-spec.js';
import {
  approve,
  crashCases,
  expectCrashSafe,
  finance,
  onOrder,
  otherOrderTakes,
  pay,
  placePurchase,
  placeSale,
  receiveStock,
  requestCancellation,
  run,
  type Scenario,
  sendOnly,
  system,
  typesFrom,
  warehouse,
} from '../../test/support/process-scenarios.js';
import { paymentStream } from '../shared/streams.js';
import { paymentTerms } from '../order/index.js';
import { nextOrderStep, orderSummary, stockPositionsOf } from './index.js';

/** Whole-order flows: placement, fulfilment, cancellation before and after shipment, purchases. Orders in parts: order-parts-process.unit.spec.ts. */

const salePlacement: Scenario = {
  name: 'sale placement',
  orderIds: ['s1'],
  actions: [receiveStock('TEA-1', 5), receiveStock('CUP-1', 5), ...placeSale('s1')],
};
const saleRejected: Scenario = {
  name: 'sale placement with a short line',
  orderIds: ['s1'],
  actions: [receiveStock('TEA-1', 5), receiveStock('CUP-1', 1), ...placeSale('s1', [{ sku: 'TEA-1', quantity: 2, unitPrice: 1999 }, { sku: 'CUP-1', quantity: 3, unitPrice: 500 }])],
};
const saleFulfilled: Scenario = {
  name: 'sale fulfilled',
  orderIds: ['s1'],
  actions: [
    ...salePlacement.actions,
    ...pay('s1', 4498),
    ...onOrder({ type: 'ProcessOrder', orderId: 's1' }, warehouse),
    ...onOrder({ type: 'ShipOrder', orderId: 's1', carrier: 'SF' }, warehouse),
    ...onOrder({ type: 'DeliverOrder', orderId: 's1' }, warehouse),
  ],
};
const saleCancelledBeforeShipment: Scenario = {
  name: 'sale cancelled before shipment',
  orderIds: ['s1'],
  actions: [...salePlacement.actions, ...pay('s1', 3000), ...requestCancellation('s1'), ...approve('s1', { refundMethod: 'bank_transfer' })],
};
const saleCancelledUnpaid: Scenario = {
  name: 'unpaid sale cancelled before shipment',
  orderIds: ['s1'],
  actions: [...salePlacement.actions, ...onOrder({ type: 'ProcessOrder', orderId: 's1' }, warehouse), ...requestCancellation('s1', 'company'), ...approve('s1')],
};
const saleReturned: Scenario = {
  name: 'sale cancelled after shipment',
  orderIds: ['s1'],
  actions: [
    ...salePlacement.actions,
    ...pay('s1', 4498),
    ...onOrder({ type: 'ShipOrder', orderId: 's1' }, warehouse),
    ...requestCancellation('s1'),
    ...approve('s1', { goodwillCoupon: { code: 'SORRY-5', amount: 500 } }),
    ...onOrder({ type: 'ReceiveReturn', orderId: 's1', lines: [{ sku: 'TEA-1', quantity: 1, condition: 'resellable' }] }, warehouse),
    ...onOrder({
      type: 'ReceiveReturn',
      orderId: 's1',
      lines: [{ sku: 'TEA-1', quantity: 1, condition: 'damaged' }, { sku: 'CUP-1', quantity: 1, condition: 'resellable' }],
    }, warehouse),
  ],
};
const purchaseReceived: Scenario = {
  name: 'purchase placed and received in two deliveries',
  orderIds: ['p1'],
  actions: [
    ...placePurchase('p1'),
    ...pay('p1', 2000),
    ...onOrder({ type: 'ReceiveGoods', orderId: 'p1', lines: [{ sku: 'TEA-1', quantity: 4 }] }, warehouse),
    ...onOrder({ type: 'ReceiveGoods', orderId: 'p1', lines: [{ sku: 'TEA-1', quantity: 6 }, { sku: 'CUP-1', quantity: 4 }] }, warehouse),
  ],
};
const purchaseCancelled: Scenario = {
  name: 'purchase cancelled with nothing received',
  orderIds: ['p1'],
  actions: [...placePurchase('p1'), ...pay('p1', 1500), ...requestCancellation('p1', 'supplier'), ...approve('p1', { penalty: { amount: 300, payer: 'supplier' } })],
};
const purchaseClosed: Scenario = {
  name: 'purchase cancelled after a partial receipt',
  orderIds: ['p1'],
  actions: [
    ...placePurchase('p1'),
    ...pay('p1', 6000),
    ...onOrder({ type: 'ReceiveGoods', orderId: 'p1', lines: [{ sku: 'TEA-1', quantity: 4 }] }, warehouse),
    ...requestCancellation('p1', 'company'),
    ...approve('p1'),
  ],
};
const twoOrdersOneShelf: Scenario = {
  name: 'two sale orders on one shelf, one cancelled',
  orderIds: ['s1', 's2', 's3'],
  actions: [
    receiveStock('TEA-1', 3),
    receiveStock('CUP-1', 3),
    ...placeSale('s1'),
    ...placeSale('s2', [{ sku: 'TEA-1', quantity: 1, unitPrice: 1999 }]),
    ...requestCancellation('s1', 'company'),
    ...approve('s1'),
    ...placeSale('s3', [{ sku: 'TEA-1', quantity: 2, unitPrice: 1999 }]),
  ],
};

describe('sale placement', () => {
  it('reserves every line, then confirms', () => {
    const ledger = run(salePlacement);
    expect(typesFrom(ledger, 'OrderPlaced')).toEqual(['OrderPlaced', 'StockReserved', 'StockReserved', 'OrderReserved']);
    expect(ledger.order('s1')).toMatchObject({ status: 'placed', reservation: 'complete' });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 5, reserved: 2 });
  });

  it('rejects a placement with a short line, naming it, and holds no reservation', () => {
    const ledger = run(saleRejected);
    expect(typesFrom(ledger, 'OrderPlaced')).toEqual(['OrderPlaced', 'OrderRejected']);
    expect(ledger.order('s1')).toMatchObject({ status: 'rejected', shortLines: [{ sku: 'CUP-1', requested: 3, available: 1 }] });
    expect(ledger.stock('main', 'TEA-1').reserved).toBe(0);
  });

  it('releases the lines already reserved when a later line turns out short', () => {
    const ledger = new InMemoryLedger();
    sendOnly(ledger, [receiveStock('TEA-1', 5), receiveStock('CUP-1', 1), ...placeSale('s1')]);
    expect(runOrderProcess(ledger, 's1', system, { maxSteps: 1 }).completed).toBe(false);
    // Meanwhile another order takes the last cup.
    sendOnly(ledger, [otherOrderTakes('CUP-1', 1)]);
    runOrderProcess(ledger, 's1', system);
    expect(typesFrom(ledger, 'OrderPlaced')).toEqual(['OrderPlaced', 'StockReserved', 'StockReserved', 'OrderRejected', 'StockReleased']);
    expect(ledger.order('s1')?.shortLines).toEqual([{ sku: 'CUP-1', requested: 1, available: 0 }]);
    expect(ledger.stock('main', 'TEA-1').reserved).toBe(0);
  });

  it('a reservation refused on a stale stock read ends in a rejection after reloading', () => {
    const ledger = new InMemoryLedger();
    sendOnly(ledger, [receiveStock('TEA-1', 5), receiveStock('CUP-1', 1), ...placeSale('s1', [{ sku: 'CUP-1', quantity: 1, unitPrice: 500 }])]);
    const stale = ledger.statesFor('s1');
    sendOnly(ledger, [otherOrderTakes('CUP-1', 1)]);
    const result = runOrderProcess(ledger, 's1', system, { firstStates: stale });
    expect(result.refused).toEqual([expect.objectContaining({ code: 'insufficient_stock' })]);
    expect(ledger.order('s1')?.status).toBe('rejected');
  });

  it('a setpoint computed before the rejection and run after it changes nothing once a newer one was applied', () => {
    const ledger = new InMemoryLedger();
    sendOnly(ledger, [receiveStock('TEA-1', 5), receiveStock('CUP-1', 1), ...placeSale('s1')]);
    const [reserveTea] = runOrderProcess(ledger, 's1', system, { maxSteps: 1 }).steps;
    sendOnly(ledger, [otherOrderTakes('CUP-1', 1)]);
    runOrderProcess(ledger, 's1', system);
    // Another runner that read the order before the rejection runs its step late: version 1 is older than 2.
    expect(reserveTea).toMatchObject({ stepId: 's1:reservation:1:TEA-1', command: { type: 'SetReservation', required: 2, asOf: 1 } });
    expect(ledger.runStep(reserveTea, system)).toEqual([]);
    expect(ledger.stock('main', 'TEA-1').reserved).toBe(0);
  });

  it('a late setpoint on a line the rejection never touched is released by the next run of the process', () => {
    const ledger = new InMemoryLedger();
    sendOnly(ledger, [receiveStock('TEA-1', 5), receiveStock('CUP-1', 1), ...placeSale('s1')]);
    const early = nextOrderStep(ledger.statesFor('s1'))!;
    sendOnly(ledger, [otherOrderTakes('CUP-1', 1)]);
    runOrderProcess(ledger, 's1', system);
    expect(ledger.order('s1')?.status).toBe('rejected');
    ledger.runStep(early, system);
    // The runner that ran it asks again, as after every step: the rejected order's version releases it.
    expect(runOrderProcess(ledger, 's1', system).steps).toEqual([
      expect.objectContaining({ stepId: 's1:reservation:2:TEA-1', command: expect.objectContaining({ required: 0, asOf: 2 }) }),
    ]);
    expect(ledger.stock('main', 'TEA-1').reserved).toBe(0);
  });
});

describe('sale fulfilment', () => {
  it('ships the reservations out of stock when the order ships', () => {
    const ledger = run(saleFulfilled);
    expect(typesFrom(ledger, 'OrderShipped')).toEqual(['OrderShipped', 'StockShipped', 'StockShipped', 'OrderDelivered']);
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 3, reserved: 0 });
    expect(ledger.order('s1')?.status).toBe('delivered');
  });
});

describe('sale cancellation before shipment', () => {
  it('releases every reservation, refunds everything paid, then cancels', () => {
    const ledger = run(saleCancelledBeforeShipment);
    expect(typesFrom(ledger, 'CancellationApproved')).toEqual(['CancellationApproved', 'StockReleased', 'StockReleased', 'RefundIssued', 'OrderCancelled']);
    expect(ledger.events(paymentStream('s1')).at(-1)).toEqual({
      type: 'RefundIssued',
      data: { orderId: 's1', amount: 3000, currency: 'CNY', method: 'bank_transfer', paymentId: null, requestedMethod: 'bank_transfer', at: SPEC_NOW },
    });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it('issues no refund when nothing was paid', () => {
    const ledger = run(saleCancelledUnpaid);
    expect(typesFrom(ledger, 'CancellationApproved')).toEqual(['CancellationApproved', 'StockReleased', 'StockReleased', 'OrderCancelled']);
  });

  it('refunds a payment that raced the approval', () => {
    const ledger = run(saleCancelledBeforeShipment);
    const staleOrder = run(salePlacement).order('s1')!;
    // Decided on an order state read before the approval: the payment lands after the cancellation.
    ledger.execute(paymentStream('s1'), { aggregate: 'payment', command: { type: 'RecordPayment', orderId: 's1', amount: 1000, method: 'card', terms: paymentTerms(staleOrder) } }, finance);
    runOrderProcess(ledger, 's1', system);
    expect(ledger.payment('s1')).toMatchObject({ paid: 4000, refunded: 4000 });
    expect(ledger.log.at(-1)?.event).toEqual({
      type: 'RefundIssued',
      data: { orderId: 's1', amount: 1000, currency: 'CNY', method: 'bank_transfer', paymentId: null, requestedMethod: 'bank_transfer', at: SPEC_NOW },
    });
  });
});

describe('sale cancellation after shipment', () => {
  it('waits for the goods, restocks the resellable ones, refunds each unit as it is back, then cancels', () => {
    const ledger = run(saleReturned);
    expect(typesFrom(ledger, 'CancellationApproved')).toEqual([
      'CancellationApproved',
      'ReturnRequested',
      'GoodwillCouponIssued',
      'CreditGranted', // the goodwill, as store credit
      'ReturnReceived',
      'StockReturned',
      'RefundIssued',
      'ReturnReceived',
      'StockReturned',
      'RefundIssued',
      'OrderCancelled',
    ]);
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 4, reserved: 0 });
    expect(ledger.stock('main', 'CUP-1')).toMatchObject({ onHand: 5, reserved: 0 });
    expect(ledger.payment('s1')).toMatchObject({ paid: 4498, refunded: 4498 });
  });

  it('refunds what came back, at its line price, and ends nothing while goods are still to come back', () => {
    const partial: Scenario = { ...saleReturned, actions: saleReturned.actions.slice(0, -2) };
    const ledger = run(partial);
    expect(ledger.order('s1')?.status).toBe('returning');
    expect(ledger.payment('s1').refunded).toBe(1999);
    expect(nextOrderStep(ledger.statesFor('s1'))).toBeNull();
  });
});

describe('purchase placement and receipts', () => {
  it('expects the goods and commits the funds, then puts received goods on hand', () => {
    const ledger = run(purchaseReceived);
    expect(typesFrom(ledger, 'OrderPlaced')).toEqual([
      'OrderPlaced',
      'StockExpected',
      'StockExpected',
      'FundsCommitted',
      'DepositPaid',
      'GoodsReceived',
      'StockReceived',
      'GoodsReceived',
      'StockReceived',
      'StockReceived',
    ]);
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 10, incoming: 0 });
    expect(ledger.order('p1')?.status).toBe('received');
    expect(ledger.payment('p1')).toMatchObject({ committed: 8800, deposits: 2000 });
  });
});

describe('purchase cancellation', () => {
  it('with nothing received: incoming released, funds released, deposit due back, penalty, cancelled', () => {
    const ledger = run(purchaseCancelled);
    expect(typesFrom(ledger, 'CancellationApproved')).toEqual([
      'CancellationApproved',
      'StockExpectationCancelled',
      'StockExpectationCancelled',
      'FundsReleased',
      'SupplierRefundDue',
      'PenaltyRecorded',
      'OrderCancelled',
    ]);
    expect(ledger.payment('p1')).toMatchObject({ committed: 8800, fundsReleased: 8800, deposits: 1500, supplierRefundDue: 1500, penalty: { amount: 300, payer: 'supplier' } });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ incoming: 0, onHand: 0 });
  });

  it('partly received: only the remainder is released, then the order is closed', () => {
    const ledger = run(purchaseClosed);
    expect(typesFrom(ledger, 'CancellationApproved')).toEqual([
      'CancellationApproved',
      'StockExpectationCancelled',
      'StockExpectationCancelled',
      'FundsReleased',
      'SupplierRefundDue',
      'OrderClosed',
    ]);
    // 4 teas at 8.00 arrived: 32.00 stays committed; 60.00 of deposits less 32.00 comes back.
    expect(ledger.payment('p1')).toMatchObject({ committed: 8800, fundsReleased: 5600, supplierRefundDue: 2800 });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 4, incoming: 0 });
    expect(ledger.order('p1')?.status).toBe('closed');
  });
});

describe('several orders on one stock position', () => {
  it('a cancellation frees stock that a later order reserves', () => {
    const ledger = run(twoOrdersOneShelf);
    expect(ledger.order('s3')?.reservation).toBe('complete');
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 3, reserved: 3 });
  });
});

describe('crash at any step: recovery ends in the same state as no crash', () => {
  const scenarios = [
    salePlacement,
    saleRejected,
    saleFulfilled,
    saleCancelledBeforeShipment,
    saleCancelledUnpaid,
    saleReturned,
    purchaseReceived,
    purchaseCancelled,
    purchaseClosed,
    twoOrdersOneShelf,
  ];
  it.each(crashCases(scenarios))('%s: crash after step %i of %i', (_name, after, _steps, scenario) => expectCrashSafe(scenario, after));
});

describe('process helpers', () => {
  it('lists one stock stream per line, in the order warehouse', () => {
    const ledger = run(salePlacement);
    expect(stockPositionsOf(ledger.order('s1')!)).toEqual([
      { warehouseId: 'main', sku: 'TEA-1', streamId: 'stock-main-TEA-1' },
      { warehouseId: 'main', sku: 'CUP-1', streamId: 'stock-main-CUP-1' },
    ]);
  });

  it('has nothing to do for an order that does not exist', () => expect(nextOrderStep(new InMemoryLedger().statesFor('none'))).toBeNull());

  it('names steps deterministically, by order, step and stream', () => {
    const ledger = new InMemoryLedger();
    sendOnly(ledger, placeSale('s9'));
    expect(nextOrderStep(ledger.statesFor('s9'))).toEqual({
      aggregate: 'order',
      streamId: 'order-s9',
      stepId: 's9:reject',
      command: {
        type: 'RejectOrder',
        orderId: 's9',
        shortLines: [{ sku: 'TEA-1', requested: 2, available: 0 }, { sku: 'CUP-1', requested: 1, available: 0 }],
      },
    });
  });
});

describe('order summary', () => {
  it('shows a sale order with reservations, money and no cancellation', () => {
    const ledger = run({ ...salePlacement, actions: [...salePlacement.actions, ...pay('s1', 1000)] });
    const { order, payment, stocks } = ledger.statesFor('s1');
    expect(orderSummary(order!, payment, stocks)).toMatchObject({
      orderId: 's1',
      number: 's1',
      kind: 'sale',
      status: 'placed',
      partyId: 'cust-1',
      warehouseId: 'main',
      currency: 'CNY',
      lines: [
        { sku: 'TEA-1', quantity: 2, unitPrice: 1999, reserved: 2, shipped: 0, received: 0, returned: 0 },
        { sku: 'CUP-1', quantity: 1, unitPrice: 500, reserved: 1, shipped: 0, received: 0, returned: 0 },
      ],
      total: 4498,
      paid: 1000,
      refunded: 0,
      ownerId: 'carol',
      placedAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
      cancellation: null,
      funds: null,
    });
  });

  it('shows a returned sale order with its cancellation', () => {
    const { order, payment, stocks } = run(saleReturned).statesFor('s1');
    const summary = orderSummary(order!, payment, stocks);
    expect(summary).toMatchObject({ status: 'cancelled', paid: 4498, refunded: 4498 });
    expect(summary.lines[0]).toMatchObject({ reserved: 0, shipped: 2, returned: 2, returnedResellable: 1, returnedDamaged: 1 });
    expect(summary.cancellation).toMatchObject({
      state: 'approved',
      reason: 'changed mind',
      initiatedBy: 'customer',
      requestedBy: 'carol',
      decidedBy: 'alice',
      outcome: 'return_and_refund',
      goodwillCoupon: { code: 'SORRY-5', amount: 500 },
    });
  });

  it('shows a closed purchase order with received goods and funds', () => {
    const { order, payment, stocks } = run(purchaseClosed).statesFor('p1');
    expect(orderSummary(order!, payment, stocks)).toMatchObject({
      status: 'closed',
      total: 8800,
      paid: 6000,
      refunded: 0,
      lines: [{ sku: 'TEA-1', received: 4, reserved: 0 }, { sku: 'CUP-1', received: 0 }],
      funds: { committed: 8800, released: 5600, supplierRefundDue: 2800, supplierRefundReceived: 0, penalty: null },
    });
  });
});
