import { describe, expect, it } from '@jest/globals';
import { InMemoryLedger, runOrderProcess } from '../../test/support/process-runner.js';
import {
  approve,
  clerk,
  crashCases,
  expectCrashSafe,
  onOrder,
  otherOrderTakes,
  pay,
  placePurchase,
  placeSale,
  play,
  receiveStock,
  requestCancellation,
  run,
  type Scenario,
  sendOnly,
  system,
  typesFrom,
  warehouse,
} from '../../test/support/process-scenarios.js';
import { type OrderLineInput } from '../order/index.js';
import { orderEntry } from '../stock/state.js';
import { nextOrderStep } from './index.js';

/** The processes of orders in parts: partial shipments, partial cancellations, returns, amendments, holds, purchase returns. */

const stocked = [receiveStock('TEA-1', 5), receiveStock('CUP-1', 5), receiveStock('PLATE-1', 5)];
const placedAndPaid = [...stocked, ...placeSale('s1'), ...pay('s1', 4498)];
const ship = (lines?: { sku: string; quantity: number }[]) => onOrder({ type: 'ShipOrder', orderId: 's1', lines }, warehouse);
const deliver = (shipmentId?: string) => onOrder({ type: 'DeliverOrder', orderId: 's1', shipmentId }, warehouse);
const amend = (lines: OrderLineInput[]) => onOrder({ type: 'AmendOrder', orderId: 's1', lines, reason: 'customer called' }, clerk);
const receiveBack = (lines: { sku: string; quantity: number; condition: 'resellable' | 'damaged' }[]) =>
  onOrder({ type: 'ReceiveReturn', orderId: 's1', lines }, warehouse);
const closeReturns = onOrder({ type: 'CloseReturns', orderId: 's1', reason: 'customer keeps it' }, warehouse);

const partialShipment: Scenario = {
  name: 'sale shipped in two parts',
  orderIds: ['s1'],
  actions: [...placedAndPaid, ...ship([{ sku: 'TEA-1', quantity: 1 }]), ...ship(), ...deliver()],
};
const linesCancelled: Scenario = {
  name: 'one unit cancelled before shipment, the rest delivered',
  orderIds: ['s1'],
  actions: [
    ...placedAndPaid,
    ...requestCancellation('s1', 'customer', { lines: [{ sku: 'TEA-1', quantity: 1 }] }),
    ...approve('s1', { refundMethod: 'cash' }),
    ...ship(),
    ...deliver(),
  ],
};
const remainderCancelled: Scenario = {
  name: 'remainder cancelled after a partial shipment',
  orderIds: ['s1'],
  actions: [
    ...placedAndPaid,
    ...ship([{ sku: 'TEA-1', quantity: 1 }]),
    ...requestCancellation('s1', 'company', { scope: 'remainder' }),
    ...approve('s1'),
    ...deliver(),
  ],
};
const wholeCancelledPartlyShipped: Scenario = {
  name: 'whole cancellation of a partly shipped sale, the customer keeps the shipped unit',
  orderIds: ['s1'],
  actions: [...placedAndPaid, ...ship([{ sku: 'TEA-1', quantity: 1 }]), ...requestCancellation('s1'), ...approve('s1', { refundMethod: 'store_credit' }), ...closeReturns],
};
const wholeCancelledAllBack: Scenario = {
  name: 'whole cancellation of a partly shipped sale, the shipped unit comes back',
  orderIds: ['s1'],
  actions: [
    ...placedAndPaid,
    ...ship([{ sku: 'TEA-1', quantity: 1 }]),
    ...requestCancellation('s1'),
    ...approve('s1'),
    ...receiveBack([{ sku: 'TEA-1', quantity: 1, condition: 'damaged' }]),
  ],
};
const delivered = [...placedAndPaid, ...ship(), ...deliver()];
const customerReturn: Scenario = {
  name: 'customer return of part of a delivered sale',
  orderIds: ['s1'],
  actions: [
    ...delivered,
    ...onOrder({ type: 'RequestReturn', orderId: 's1', lines: [{ sku: 'TEA-1', quantity: 1 }, { sku: 'CUP-1', quantity: 1 }], reason: 'too many' }, clerk),
    ...receiveBack([{ sku: 'TEA-1', quantity: 1, condition: 'resellable' }]),
    ...closeReturns,
  ],
};
const everythingReturned: Scenario = {
  name: 'customer return of everything delivered',
  orderIds: ['s1'],
  actions: [
    ...delivered,
    ...onOrder({ type: 'RequestReturn', orderId: 's1', lines: [{ sku: 'TEA-1', quantity: 2 }, { sku: 'CUP-1', quantity: 1 }], reason: 'wrong colour' }, clerk),
    ...receiveBack([{ sku: 'TEA-1', quantity: 2, condition: 'resellable' }, { sku: 'CUP-1', quantity: 1, condition: 'resellable' }]),
  ],
};
const amendedUp: Scenario = {
  name: 'amendment with an increase and a new sku, reserved then applied',
  orderIds: ['s1'],
  actions: [
    ...placedAndPaid,
    ...amend([{ sku: 'TEA-1', quantity: 3, unitPrice: 1999 }, { sku: 'CUP-1', quantity: 1, unitPrice: 500 }, { sku: 'PLATE-1', quantity: 2, unitPrice: 300 }]),
  ],
};
const amendedShort: Scenario = {
  name: 'amendment refused for a short line',
  orderIds: ['s1'],
  actions: [...placedAndPaid, ...amend([{ sku: 'TEA-1', quantity: 9, unitPrice: 1999 }, { sku: 'CUP-1', quantity: 2, unitPrice: 500 }])],
};
const amendedDown: Scenario = {
  name: 'amendment below what was paid',
  orderIds: ['s1'],
  actions: [...placedAndPaid, ...amend([{ sku: 'TEA-1', quantity: 1, unitPrice: 1999 }, { sku: 'CUP-1', quantity: 1, unitPrice: 500 }])],
};
const receivedPurchase = [...placePurchase('p1'), ...pay('p1', 2000), ...onOrder({ type: 'ReceiveGoods', orderId: 'p1', lines: [{ sku: 'TEA-1', quantity: 10 }] }, warehouse)];
const returnToSupplier = (lines: { sku: string; quantity: number }[]) => onOrder({ type: 'ReturnToSupplier', orderId: 'p1', lines, reason: 'mouldy' }, warehouse);
const purchaseReturned: Scenario = {
  name: 'purchase return',
  orderIds: ['p1'],
  actions: [...receivedPurchase, ...returnToSupplier([{ sku: 'TEA-1', quantity: 4 }])],
};
const purchaseReturnRefused: Scenario = {
  name: 'purchase return refused: the goods are reserved for a sale',
  orderIds: ['p1', 's1'],
  actions: [...receivedPurchase, ...placeSale('s1', [{ sku: 'TEA-1', quantity: 8, unitPrice: 1999 }]), ...returnToSupplier([{ sku: 'TEA-1', quantity: 4 }])],
};
const purchaseReturnedThenCancelled: Scenario = {
  name: 'purchase partly received, partly returned, then cancelled',
  orderIds: ['p1'],
  actions: [
    ...placePurchase('p1'),
    ...pay('p1', 6000),
    ...onOrder({ type: 'ReceiveGoods', orderId: 'p1', lines: [{ sku: 'TEA-1', quantity: 4 }] }, warehouse),
    ...returnToSupplier([{ sku: 'TEA-1', quantity: 1 }]),
    ...requestCancellation('p1', 'company'),
    ...approve('p1'),
  ],
};

describe('partial shipments', () => {
  it('each shipment takes its units out of the reservation, by cumulative total', () => {
    const ledger = run(partialShipment);
    expect(typesFrom(ledger, 'OrderShipped')).toEqual(['OrderShipped', 'StockShipped', 'OrderShipped', 'StockShipped', 'StockShipped', 'OrderDelivered']);
    const shipSteps = ledger.log.filter((entry) => entry.event.type === 'StockShipped').map((entry) => entry.event.data);
    expect(shipSteps).toEqual([
      { warehouseId: 'main', sku: 'TEA-1', orderId: 's1', quantity: 1, value: 0 },
      { warehouseId: 'main', sku: 'TEA-1', orderId: 's1', quantity: 1, value: 0 },
      { warehouseId: 'main', sku: 'CUP-1', orderId: 's1', quantity: 1, value: 0 },
    ]);
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 3, reserved: 0 });
    expect(ledger.order('s1')?.status).toBe('delivered');
  });

  it('names a shipment step by its total, so the second shipment is a new step', () => {
    const ledger = play(new InMemoryLedger(), [...placedAndPaid, ...ship([{ sku: 'TEA-1', quantity: 1 }])]);
    sendOnly(ledger, ship([{ sku: 'TEA-1', quantity: 1 }]));
    expect(nextOrderStep(ledger.statesFor('s1'))).toMatchObject({ stepId: 's1:ship:2:TEA-1', command: { type: 'ShipStock', shippedTotal: 2 } });
  });
});

describe('partial cancellations', () => {
  it('cancelled units are released and refunded at their price by the approved method; the rest goes on, then the order closes', () => {
    const ledger = run(linesCancelled);
    expect(typesFrom(ledger, 'CancellationApproved')).toEqual([
      'CancellationApproved', 'StockReleased', 'RefundIssued', 'OrderShipped', 'StockShipped', 'StockShipped', 'OrderDelivered', 'OrderClosed',
    ]);
    expect(ledger.log.find((entry) => entry.event.type === 'RefundIssued')?.event.data).toMatchObject({ amount: 1999, method: 'cash' });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 4, reserved: 0 });
    expect(ledger.order('s1')?.status).toBe('closed');
  });

  it('the remainder of a partly shipped sale is released and refunded; the order stays shipped until delivered, then closes', () => {
    const ledger = run({ ...remainderCancelled, actions: remainderCancelled.actions.slice(0, -2) });
    expect(ledger.order('s1')?.status).toBe('shipped');
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 4, reserved: 0 });
    expect(ledger.stock('main', 'CUP-1')).toMatchObject({ onHand: 5, reserved: 0 });
    expect(ledger.payment('s1')).toMatchObject({ paid: 4498, refunded: 2499 });
    expect(ledger.log.at(-1)?.event).toMatchObject({ type: 'RefundIssued', data: { amount: 2499, method: 'card', paymentId: 'P1', requestedMethod: 'original' } });
    expect(run(remainderCancelled).order('s1')?.status).toBe('closed');
  });
});

describe('whole cancellation of a partly shipped sale', () => {
  it('releases and refunds the unshipped part at once, waits for the shipped unit, and closes when the customer keeps it', () => {
    const ledger = run(wholeCancelledPartlyShipped);
    expect(typesFrom(ledger, 'CancellationApproved')).toEqual([
      'CancellationApproved', 'ReturnRequested', 'StockReleased', 'StockReleased', 'RefundIssued', 'CreditGranted', 'ReturnsClosed', 'OrderClosed',
    ]);
    expect(ledger.payment('s1')).toMatchObject({ paid: 4498, refunded: 2499 });
    expect(ledger.log.find((entry) => entry.event.type === 'RefundIssued')?.event.data).toMatchObject({ method: 'store_credit' });
    expect(ledger.order('s1')?.status).toBe('closed');
  });

  it('refunds everything and cancels when the shipped unit comes back, damaged units staying off the shelf', () => {
    const ledger = run(wholeCancelledAllBack);
    expect(typesFrom(ledger, 'ReturnReceived')).toEqual(['ReturnReceived', 'RefundIssued', 'OrderCancelled']);
    expect(ledger.payment('s1')).toMatchObject({ paid: 4498, refunded: 4498 });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 4, reserved: 0 });
  });
});

describe('customer returns', () => {
  it('restocks and refunds each resellable unit as it is back; a closed return leaves the order delivered', () => {
    const ledger = run(customerReturn);
    expect(typesFrom(ledger, 'ReturnRequested')).toEqual(['ReturnRequested', 'ReturnReceived', 'StockReturned', 'RefundIssued', 'ReturnsClosed']);
    expect(ledger.payment('s1')).toMatchObject({ paid: 4498, refunded: 1999 });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 4 });
    expect(ledger.order('s1')?.status).toBe('delivered');
    expect(nextOrderStep(ledger.statesFor('s1'))).toBeNull();
  });

  it('an order whose every unit came back is cancelled once refunded', () => {
    const ledger = run(everythingReturned);
    expect(typesFrom(ledger, 'ReturnReceived')).toEqual(['ReturnReceived', 'StockReturned', 'StockReturned', 'RefundIssued', 'OrderCancelled']);
    expect(ledger.payment('s1')).toMatchObject({ paid: 4498, refunded: 4498 });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 5, reserved: 0 });
  });
});

describe('amendments', () => {
  it('reserves the increases and the new sku at the new version, then applies the amendment', () => {
    const ledger = run(amendedUp);
    expect(typesFrom(ledger, 'AmendmentRequested')).toEqual(['AmendmentRequested', 'StockReserved', 'StockReserved', 'OrderAmended']);
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ reserved: 3 });
    expect(orderEntry(ledger.stock('main', 'PLATE-1'), 's1')).toMatchObject({ reserved: 2, reservationAsOf: 2 });
    expect(ledger.order('s1')?.lines.map(({ sku, quantity }) => ({ sku, quantity }))).toEqual([
      { sku: 'TEA-1', quantity: 3 }, { sku: 'CUP-1', quantity: 1 }, { sku: 'PLATE-1', quantity: 2 },
    ]);
  });

  it('refuses an amendment whose increase is short, naming the increase, and reserves nothing', () => {
    const ledger = run(amendedShort);
    expect(typesFrom(ledger, 'AmendmentRequested')).toEqual(['AmendmentRequested', 'AmendmentRefused']);
    expect(ledger.order('s1')?.amendments[0]).toMatchObject({ state: 'refused', shortLines: [{ sku: 'TEA-1', requested: 7, available: 3 }] });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ reserved: 2 });
    expect(ledger.stock('main', 'CUP-1')).toMatchObject({ reserved: 1 });
  });

  it('releases what an amendment reserved before another line turned out short', () => {
    const ledger = play(new InMemoryLedger(), placedAndPaid);
    sendOnly(ledger, amend([{ sku: 'TEA-1', quantity: 4, unitPrice: 1999 }, { sku: 'CUP-1', quantity: 3, unitPrice: 500 }]));
    runOrderProcess(ledger, 's1', system, { maxSteps: 1 });
    sendOnly(ledger, [otherOrderTakes('CUP-1', 4)]);
    runOrderProcess(ledger, 's1', system);
    expect(typesFrom(ledger, 'AmendmentRequested')).toEqual(['AmendmentRequested', 'StockReserved', 'StockReserved', 'AmendmentRefused', 'StockReleased']);
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ reserved: 2 });
  });

  it('releases a new sku reserved before another new sku turned out short', () => {
    const ledger = play(new InMemoryLedger(), [...placedAndPaid, receiveStock('BOWL-1', 1)]);
    const lines = [{ sku: 'TEA-1', quantity: 2, unitPrice: 1999 }, { sku: 'CUP-1', quantity: 1, unitPrice: 500 }];
    sendOnly(ledger, amend([...lines, { sku: 'PLATE-1', quantity: 2, unitPrice: 300 }, { sku: 'BOWL-1', quantity: 1, unitPrice: 400 }]));
    runOrderProcess(ledger, 's1', system, { maxSteps: 1 });
    sendOnly(ledger, [otherOrderTakes('BOWL-1', 1)]);
    runOrderProcess(ledger, 's1', system);
    expect(ledger.order('s1')?.amendments[0]?.state).toBe('refused');
    expect(ledger.stock('main', 'PLATE-1')).toMatchObject({ reserved: 0 });
  });

  it('an amendment below what was paid releases the difference and refunds it', () => {
    const ledger = run(amendedDown);
    expect(typesFrom(ledger, 'OrderAmended')).toEqual(['OrderAmended', 'StockReleased', 'RefundIssued']);
    expect(ledger.payment('s1')).toMatchObject({ paid: 4498, refunded: 1999 });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ reserved: 1 });
  });
});

describe('holds', () => {
  it('a held order keeps its reservations and its process has nothing to do', () => {
    const ledger = run({ name: 'held', orderIds: ['s1'], actions: [...placedAndPaid, ...onOrder({ type: 'HoldOrder', orderId: 's1', reason: 'fraud check' }, warehouse)] });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ reserved: 2 });
    expect(nextOrderStep(ledger.statesFor('s1'))).toBeNull();
  });
});

describe('purchase returns', () => {
  it('takes the goods off hand, completes the return, and records the supplier owing their value', () => {
    const ledger = run(purchaseReturned);
    expect(typesFrom(ledger, 'PurchaseReturnRequested')).toEqual(['PurchaseReturnRequested', 'StockReturnedToSupplier', 'PurchaseReturnCompleted', 'SupplierRefundDue']);
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 6 });
    expect(ledger.payment('p1')).toMatchObject({ deposits: 2000, supplierRefundDue: 3200 });
    expect(ledger.order('p1')?.lines[0]).toMatchObject({ received: 10, returnedToSupplier: 4 });
  });

  it('refuses a return of goods reserved for sales, moving nothing and owing nothing', () => {
    const ledger = run(purchaseReturnRefused);
    expect(typesFrom(ledger, 'PurchaseReturnRequested')).toEqual(['PurchaseReturnRequested', 'PurchaseReturnRefused']);
    expect(ledger.order('p1')?.purchaseReturns[0]).toMatchObject({ state: 'refused', shortLines: [{ sku: 'TEA-1', requested: 4, available: 2 }], returnedLines: [] });
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 10, reserved: 8 });
    expect(ledger.payment('p1').supplierRefundDue).toBe(0);
  });

  it('after a cancellation the supplier owes the goods sent back plus the deposits beyond the goods received', () => {
    const ledger = run(purchaseReturnedThenCancelled);
    // 4 teas at 8.00 received, 1 sent back: 8.00 + (60.00 − 32.00) = 36.00.
    expect(ledger.payment('p1')).toMatchObject({ deposits: 6000, supplierRefundDue: 3600, fundsReleased: 5600 });
    expect(ledger.order('p1')?.status).toBe('closed');
    expect(ledger.stock('main', 'TEA-1')).toMatchObject({ onHand: 3, incoming: 0 });
  });
});

describe('crash at any step of orders in parts: recovery ends in the same state as no crash', () => {
  const scenarios = [
    partialShipment,
    linesCancelled,
    remainderCancelled,
    wholeCancelledPartlyShipped,
    wholeCancelledAllBack,
    customerReturn,
    everythingReturned,
    amendedUp,
    amendedShort,
    amendedDown,
    purchaseReturned,
    purchaseReturnRefused,
    purchaseReturnedThenCancelled,
  ];
  it.each(crashCases(scenarios))('%s: crash after step %i of %i', (_name, after, _steps, scenario) => expectCrashSafe(scenario, after));
});
