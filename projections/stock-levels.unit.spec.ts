import { describe, expect, it } from '@jest/globals';

import { type StockEvent } from '../domain/stock/events.js';
import { stockStream } from '../domain/shared/streams.js';
import { EventLog, fold, mapAll } from '../test/support/projection-spec.js';
import { stockAlertsView } from './stock-alerts.js';
import { stockLevelsView } from './stock-levels.js';

const at = { warehouseId: 'main', sku: 'TEA-1' };
const stream = stockStream('main', 'TEA-1');
const received = (quantity: number, orderId: string | null = null): StockEvent => ({ type: 'StockReceived', data: { ...at, quantity, orderId, note: null, unitCost: null, value: 0 } });
const reserved = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReserved', data: { ...at, orderId, quantity } });
const shipped = (orderId: string, quantity: number): StockEvent => ({ type: 'StockShipped', data: { ...at, orderId, quantity, value: 0 } });
const released = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReleased', data: { ...at, orderId, quantity } });
const expected = (orderId: string, quantity: number): StockEvent => ({ type: 'StockExpected', data: { ...at, orderId, quantity } });
const thresholds = (min: number | null, max: number | null): StockEvent => ({ type: 'StockThresholdsSet', data: { ...at, min, max } });
const counted = (countedQuantity: number, variance: number): StockEvent => ({
  type: 'StockAdjusted',
  data: { ...at, countedQuantity, variance, reason: 'stocktake', countedBy: 'wendy', countedAt: '2026-03-01T09:00:00.000Z', value: 0 },
});

function levelsAfter(...events: StockEvent[]) {
  const log = new EventLog();
  return fold(stockLevelsView, events.map((event) => log.append(stream, event)));
}

describe('stock_levels view', () => {
  it('shows on hand, reserved, available and incoming of a position', () => {
    const level = levelsAfter(received(10), reserved('o1', 3), expected('p1', 5), shipped('o1', 3), reserved('o2', 2), received(2, 'p1')).get(stream);
    expect(level).toMatchObject({ sku: 'TEA-1', warehouseId: 'main', onHand: 9, reserved: 2, available: 7, incoming: 3, min: null, max: null, alert: null });
  });

  it('takes goods sent back to the supplier off on hand, leaving what is reserved as it was', () => {
    const toSupplier = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReturnedToSupplier', data: { ...at, orderId, quantity, value: 0 } });
    const level = levelsAfter(expected('p1', 10), received(10, 'p1'), reserved('o1', 3), toSupplier('p1', 4)).get(stream);
    expect(level).toMatchObject({ onHand: 6, reserved: 3, available: 3, incoming: 0 });
    expect(mapAll(stockAlertsView, levelsAfter(thresholds(5, 20), received(8, 'p1'), toSupplier('p1', 4)).values()).get(stream)).toMatchObject({ alert: 'low', onHand: 4 });
  });

  it('follows reservation setpoints (asOf) as reservations and releases', () => {
    const setpoint = (type: 'StockReserved' | 'StockReleased', quantity: number, asOf: number): StockEvent => ({ type, data: { ...at, orderId: 'o1', quantity, asOf } });
    expect(levelsAfter(received(10), setpoint('StockReserved', 4, 1), setpoint('StockReleased', 1, 2), setpoint('StockReserved', 2, 3)).get(stream)).toMatchObject({ onHand: 10, reserved: 5, available: 5 });
  });

  it('records a stocktake variance and releases', () => {
    expect(levelsAfter(received(10), reserved('o1', 4), released('o1', 4), counted(8, -2)).get(stream)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
  });

  it('changes nothing when an event is delivered again, even without the runner checking positions', () => {
    const log = new EventLog();
    const events = [received(10), reserved('o1', 3)].map((event) => log.append(stream, event));
    const once = fold(stockLevelsView, events);
    expect(stockLevelsView.apply(once.get(stream)!, events[1], stream)).toBe(once.get(stream));
    expect(fold(stockLevelsView, [...events, ...events])).toEqual(once);
  });

  it('judges low stock on available and overstock on on hand', () => {
    expect(levelsAfter(thresholds(5, 20), received(6), reserved('o1', 2)).get(stream)?.alert).toBe('low');
    expect(levelsAfter(thresholds(5, 20), received(25), reserved('o1', 10)).get(stream)?.alert).toBe('high');
    expect(levelsAfter(thresholds(5, 20), received(10)).get(stream)?.alert).toBeNull();
  });
});

describe('stock_alerts view', () => {
  it('lists a position below min, and removes it once back in range', () => {
    const low = mapAll(stockAlertsView, levelsAfter(thresholds(5, 20), received(3)).values());
    expect([...low.values()]).toEqual([expect.objectContaining({ id: stream, alert: 'low', available: 3, min: 5 })]);
    expect(mapAll(stockAlertsView, levelsAfter(thresholds(5, 20), received(3), received(4)).values()).size).toBe(0);
  });

  it('lists a position above max as high', () => {
    expect(mapAll(stockAlertsView, levelsAfter(thresholds(0, 4), received(9)).values()).get(stream)).toMatchObject({ alert: 'high', onHand: 9, max: 4 });
  });

  it('has no alert for a position without thresholds', () => {
    expect(mapAll(stockAlertsView, levelsAfter(received(0)).values()).size).toBe(0);
  });
});
