import { describe, expect, it } from '@jest/globals';
import { asUser, deciderSpec } from '../../test/support/decider-spec.js';
import { type StockEvent } from './events.js';
import { availableQuantity, isAboveMax, isBelowMin, orderEntry, stockAlert, stockDecider, stockLevel } from './index.js';

const warehouse = asUser('wendy', 'warehouse');
const { given, fold } = deciderSpec(stockDecider, warehouse);
const where = { warehouseId: 'main', sku: 'TEA-1' };

const received = (quantity: number): StockEvent => ({ type: 'StockReceived', data: { ...where, quantity, orderId: null, note: null, unitCost: null, value: 0 } });
const reserved = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReserved', data: { ...where, orderId, quantity } });
const shipped = (orderId: string, quantity: number): StockEvent => ({ type: 'StockShipped', data: { ...where, orderId, quantity, value: 0 } });
const returned = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReturned', data: { ...where, orderId, quantity, value: 0 } });
const expected = (orderId: string, quantity: number): StockEvent => ({ type: 'StockExpected', data: { ...where, orderId, quantity } });
const purchased = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReceived', data: { ...where, quantity, orderId, note: null, unitCost: null, value: 0 } });
const expectationCancelled = (orderId: string, quantity: number): StockEvent => ({
  type: 'StockExpectationCancelled',
  data: { ...where, orderId, quantity },
});

describe('stock: manual receipts, counts and thresholds', () => {
  it('records a manual receipt without an order', () =>
    given().when({ type: 'ReceiveStock', ...where, quantity: 10, note: ' opening ' }).then({
      type: 'StockReceived',
      data: { ...where, quantity: 10, orderId: null, note: 'opening', unitCost: null, value: 0 },
    }));

  it('refuses a receipt of a fractional quantity', () =>
    given().when({ type: 'ReceiveStock', ...where, quantity: 1.5 }).thenFails('validation_failed', { fields: [{ field: 'quantity', problems: ['must be a positive integer'] }] }));

  it('refuses a receipt of zero', () => given().when({ type: 'ReceiveStock', ...where, quantity: 0 }).thenFails('validation_failed'));

  it('records a count as the variance, the counted quantity, the reason and who counted', () =>
    given(received(10)).when({ type: 'CountStock', ...where, countedQuantity: 7, reason: 'broken jars' }).then({
      type: 'StockAdjusted',
      data: { ...where, countedQuantity: 7, variance: -3, reason: 'broken jars', countedBy: 'wendy', countedAt: '2026-03-01T09:00:00.000Z', value: 0 },
    }));

  it('a count sets on hand to the counted quantity and keeps the history', () =>
    given(received(10)).when({ type: 'CountStock', ...where, countedQuantity: 12, reason: 'found a box' }).thenState((stock, events) => {
      expect(stock.onHand).toBe(12);
      expect(events).toHaveLength(1);
    }));

  it('records a count that matches as a zero variance', () =>
    given(received(4)).when({ type: 'CountStock', ...where, countedQuantity: 4, reason: 'monthly' }).thenState((stock, events) => {
      expect(events[0]).toMatchObject({ type: 'StockAdjusted', data: { variance: 0 } });
      expect(stock.onHand).toBe(4);
    }));

  it('refuses a count without a reason', () =>
    given(received(4)).when({ type: 'CountStock', ...where, countedQuantity: 3, reason: ' ' }).thenFails('validation_failed'));

  it('refuses a count below what is reserved for orders', () =>
    given(received(10), reserved('o1', 6)).when({ type: 'CountStock', ...where, countedQuantity: 5, reason: 'theft' }).thenFails('insufficient_stock', {
      countedQuantity: 5,
      reserved: 6,
    }));

  it('sets thresholds', () =>
    given().when({ type: 'SetStockThresholds', ...where, min: 5, max: 50 }).then({ type: 'StockThresholdsSet', data: { ...where, min: 5, max: 50 } }));

  it('setting the same thresholds again emits nothing', () =>
    given({ type: 'StockThresholdsSet', data: { ...where, min: 5, max: 50 } }).when({ type: 'SetStockThresholds', ...where, min: 5, max: 50 }).thenNothing());

  it('refuses a max below min', () => given().when({ type: 'SetStockThresholds', ...where, min: 10, max: 5 }).thenFails('validation_failed'));

  it('is below min when available falls under min', () => {
    const stock = fold([{ type: 'StockThresholdsSet', data: { ...where, min: 5, max: 50 } }, received(8), reserved('o1', 4)]);
    expect(isBelowMin(stock)).toBe(true);
    expect(isAboveMax(stock)).toBe(false);
    expect(stockAlert(stock)).toBe('low');
  });

  it('is above max when on hand exceeds max', () => {
    const stock = fold([{ type: 'StockThresholdsSet', data: { ...where, min: 5, max: 50 } }, received(51)]);
    expect(isAboveMax(stock)).toBe(true);
    expect(stockLevel(stock)).toEqual({ ...where, onHand: 51, reserved: 0, available: 51, incoming: 0, min: 5, max: 50, alert: 'high', unitCost: 0, value: 0, inTransit: 0, inTransitValue: 0 });
  });

  it('has no alert without thresholds', () => expect(stockAlert(fold([]))).toBeNull());
});

describe('stock: reservations for sale orders (a setpoint versioned by the order)', () => {
  const setpoint = (orderId: string, required: number, asOf: number) => ({ type: 'SetReservation' as const, ...where, orderId, required, asOf });
  const reservedAsOf = (orderId: string, quantity: number, asOf: number): StockEvent => ({ type: 'StockReserved', data: { ...where, orderId, quantity, asOf } });
  const releasedAsOf = (orderId: string, quantity: number, asOf: number): StockEvent => ({ type: 'StockReleased', data: { ...where, orderId, quantity, asOf } });

  it('reserves what the order requires from available stock', () =>
    given(received(10)).when(setpoint('o1', 4, 1)).thenState((stock, events) => {
      expect(events).toEqual([reservedAsOf('o1', 4, 1)]);
      expect(orderEntry(stock, 'o1')).toMatchObject({ reserved: 4, reservationAsOf: 1 });
    }));

  it('available is on hand minus everything reserved', () => expect(availableQuantity(fold([received(10), reserved('o1', 4), reserved('o2', 3)]))).toBe(3));

  it('refuses to reserve more than available, naming what is short', () =>
    given(received(10), reserved('o1', 8)).when(setpoint('o2', 3, 1)).thenFails('insufficient_stock', {
      sku: 'TEA-1',
      warehouseId: 'main',
      requested: 3,
      available: 2,
    }));

  it('reserves only the increase when the order requires more', () =>
    given(received(10), reservedAsOf('o1', 4, 1)).when(setpoint('o1', 6, 2)).then(reservedAsOf('o1', 2, 2)));

  it('an increase is refused on the increase alone', () =>
    given(received(5), reservedAsOf('o1', 4, 1)).when(setpoint('o1', 7, 2)).thenFails('insufficient_stock', { requested: 3, available: 1 }));

  it('releases the difference when the order requires less', () =>
    given(received(10), reservedAsOf('o1', 4, 1), reserved('o2', 2)).when(setpoint('o1', 1, 2)).thenState((stock, events) => {
      expect(events).toEqual([releasedAsOf('o1', 3, 2)]);
      expect(stock).toMatchObject({ reserved: 3 });
      expect(orderEntry(stock, 'o1')).toMatchObject({ reserved: 1, released: 3, reservationAsOf: 2 });
    }));

  it('releases everything when the order requires nothing', () =>
    given(received(10), reservedAsOf('o1', 4, 1)).when(setpoint('o1', 0, 2)).then(releasedAsOf('o1', 4, 2)));

  it('counts shipped units as required units already taken', () =>
    given(received(10), reservedAsOf('o1', 4, 1), shipped('o1', 3)).when(setpoint('o1', 3, 2)).then(releasedAsOf('o1', 1, 2)));

  it('never holds a negative quantity when the order requires less than shipped', () =>
    given(received(10), reservedAsOf('o1', 4, 1), shipped('o1', 3)).when(setpoint('o1', 2, 2)).then(releasedAsOf('o1', 1, 2)));

  it('a setpoint already met emits nothing', () =>
    given(received(10), reservedAsOf('o1', 4, 1)).when(setpoint('o1', 4, 2)).thenNothing());

  it('repeating an applied setpoint emits nothing', () =>
    given(received(10), reservedAsOf('o1', 4, 1)).when(setpoint('o1', 4, 1)).thenNothing());

  it('a setpoint older than the last one applied changes nothing, even when it differs', () =>
    given(received(10), reservedAsOf('o1', 4, 1), releasedAsOf('o1', 4, 3)).when(setpoint('o1', 6, 2)).thenNothing());

  it('a reservation written before setpoints (no asOf) is overridden by any setpoint', () =>
    given(received(10), reserved('o1', 4)).when(setpoint('o1', 0, 1)).thenState((stock, events) => {
      expect(events).toEqual([releasedAsOf('o1', 4, 1)]);
      expect(stock.reserved).toBe(0);
    }));

  it('refuses a negative or fractional requirement and a version below 1', () =>
    given(received(10)).when({ ...setpoint('o1', -1, 0) }).thenFails('validation_failed', {
      fields: [{ field: 'required', problems: ['must be a non-negative integer'] }, { field: 'asOf', problems: ['must be a positive integer'] }],
    }));

  it('ships reserved units up to the cumulative total: on hand and reserved both drop', () =>
    given(received(10), reserved('o1', 4)).when({ type: 'ShipStock', ...where, orderId: 'o1', shippedTotal: 3 }).thenState((stock, events) => {
      expect(events).toEqual([shipped('o1', 3)]);
      expect(stock).toMatchObject({ onHand: 7, reserved: 1 });
      expect(orderEntry(stock, 'o1')).toMatchObject({ reserved: 1, shipped: 3 });
    }));

  it('a later shipment ships only the difference', () =>
    given(received(10), reserved('o1', 4), shipped('o1', 3)).when({ type: 'ShipStock', ...where, orderId: 'o1', shippedTotal: 4 }).then(shipped('o1', 1)));

  it('repeating a reached shipment total emits nothing', () =>
    given(received(10), reserved('o1', 4), shipped('o1', 4)).when({ type: 'ShipStock', ...where, orderId: 'o1', shippedTotal: 4 }).thenNothing());

  it('an older, smaller shipment total emits nothing', () =>
    given(received(10), reserved('o1', 4), shipped('o1', 4)).when({ type: 'ShipStock', ...where, orderId: 'o1', shippedTotal: 2 }).thenNothing());

  it('refuses to ship more than the order holds', () =>
    given(received(10), reserved('o1', 4), shipped('o1', 1)).when({ type: 'ShipStock', ...where, orderId: 'o1', shippedTotal: 5 }).thenFails('invalid_transition', {
      reserved: 3,
      shippedTotal: 5,
    }));

  it('refuses to ship an order with nothing reserved', () =>
    given(received(10)).when({ type: 'ShipStock', ...where, orderId: 'o1', shippedTotal: 1 }).thenFails('invalid_transition'));
});

describe('stock: returns of shipped orders (cumulative target)', () => {
  const afterShipment = [received(10), reserved('o1', 4), shipped('o1', 4)];

  it('returns the difference between the target and what was returned', () =>
    given(...afterShipment, returned('o1', 1)).when({ type: 'ReturnToStock', ...where, orderId: 'o1', returnedTotal: 3 }).then(returned('o1', 2)));

  it('a return puts units back on hand', () =>
    given(...afterShipment).when({ type: 'ReturnToStock', ...where, orderId: 'o1', returnedTotal: 4 }).thenState((stock) => expect(stock.onHand).toBe(10)));

  it('repeating a reached target emits nothing', () =>
    given(...afterShipment, returned('o1', 3)).when({ type: 'ReturnToStock', ...where, orderId: 'o1', returnedTotal: 3 }).thenNothing());

  it('refuses to return more than was shipped', () =>
    given(...afterShipment).when({ type: 'ReturnToStock', ...where, orderId: 'o1', returnedTotal: 5 }).thenFails('exceeds_shipped', { shipped: 4, returnedTotal: 5 }));
});

describe('stock: incoming goods of purchase orders', () => {
  it('records incoming units for a purchase order', () =>
    given().when({ type: 'ExpectStock', ...where, orderId: 'p1', quantity: 20 }).thenState((stock, events) => {
      expect(events).toEqual([expected('p1', 20)]);
      expect(stock).toMatchObject({ incoming: 20, onHand: 0 });
    }));

  it('expecting twice for the same order emits nothing', () =>
    given(expected('p1', 20)).when({ type: 'ExpectStock', ...where, orderId: 'p1', quantity: 20 }).thenNothing());

  it('receives the difference up to the cumulative target', () =>
    given(expected('p1', 20), purchased('p1', 5)).when({ type: 'ReceivePurchaseStock', ...where, orderId: 'p1', unitCost: null, receivedTotal: 12 }).thenState((stock, events) => {
      expect(events).toEqual([purchased('p1', 7)]);
      expect(stock).toMatchObject({ onHand: 12, incoming: 8 });
    }));

  it('receiving a reached target again emits nothing', () =>
    given(expected('p1', 20), purchased('p1', 5)).when({ type: 'ReceivePurchaseStock', ...where, orderId: 'p1', unitCost: null, receivedTotal: 5 }).thenNothing());

  it('refuses to receive more than the order expects', () =>
    given(expected('p1', 20)).when({ type: 'ReceivePurchaseStock', ...where, orderId: 'p1', unitCost: null, receivedTotal: 21 }).thenFails('exceeds_ordered'));

  it('cancels the incoming units not received yet', () =>
    given(expected('p1', 20), purchased('p1', 5)).when({ type: 'CancelExpectedStock', ...where, orderId: 'p1' }).thenState((stock, events) => {
      expect(events).toEqual([expectationCancelled('p1', 15)]);
      expect(stock).toMatchObject({ onHand: 5, incoming: 0 });
    }));

  it('cancelling the expectation twice emits nothing', () =>
    given(expected('p1', 20), expectationCancelled('p1', 20)).when({ type: 'CancelExpectedStock', ...where, orderId: 'p1' }).thenNothing());

  it('refuses receipts beyond what is still expected after a cancellation', () =>
    given(expected('p1', 20), purchased('p1', 5), expectationCancelled('p1', 15)).when({ type: 'ReceivePurchaseStock', ...where, orderId: 'p1', unitCost: null, receivedTotal: 6 }).thenFails('exceeds_ordered'));
});

describe('stock: purchase returns to the supplier (cumulative target)', () => {
  const toSupplier = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReturnedToSupplier', data: { ...where, orderId, quantity, value: 0 } });
  const back = (returnedTotal: number) => ({ type: 'ReturnStockToSupplier' as const, ...where, orderId: 'p1', returnedTotal });
  const afterReceipt = [expected('p1', 10), purchased('p1', 6)];

  it('takes received units off hand, up to the target', () =>
    given(...afterReceipt).when(back(4)).thenState((stock, events) => {
      expect(events).toEqual([toSupplier('p1', 4)]);
      expect(stock).toMatchObject({ onHand: 2, incoming: 4 });
      expect(orderEntry(stock, 'p1')).toMatchObject({ received: 6, returnedToSupplier: 4 });
    }));

  it('a later target returns only the difference; a reached one nothing', () => {
    given(...afterReceipt, toSupplier('p1', 4)).when(back(6)).then(toSupplier('p1', 2));
    given(...afterReceipt, toSupplier('p1', 4)).when(back(4)).thenNothing();
  });

  it('refuses to return more than the order received', () =>
    given(...afterReceipt, toSupplier('p1', 4)).when(back(7)).thenFails('exceeds_shipped', { received: 6, returnedTotal: 7 }));

  it('refuses to take units reserved for sale orders', () =>
    given(...afterReceipt, reserved('s1', 5)).when(back(2)).thenFails('insufficient_stock', { requested: 2, available: 1 }));

  it('never takes on hand below what is reserved', () =>
    given(...afterReceipt, reserved('s1', 4)).when(back(2)).thenState((stock) => expect(stock).toMatchObject({ onHand: 4, reserved: 4 })));
});
