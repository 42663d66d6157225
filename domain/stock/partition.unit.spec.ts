import { describe, expect, it } from '@jest/globals';

import { evolve } from './evolve.js';
import { type StockEvent } from './events.js';
import { keysOfStockCommand, keysOfStockEvent, missingStockKeys, stockEntries, stockHeader, withStockEntries } from './partition.js';
import { initialState, NO_ENTRY, orderEntry, orderKey, type StockPosition, transferEntry } from './state.js';

const base = { warehouseId: 'main', sku: 'TEA-1' };
const reserved = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReserved', data: { ...base, orderId, quantity, asOf: 1 } }) as StockEvent;
const received = (quantity: number): StockEvent => ({ type: 'StockReceived', data: { ...base, orderId: null, quantity, value: 0 } }) as StockEvent;
const fold = (events: readonly StockEvent[], from: StockPosition = initialState) => events.reduce(evolve, from);

describe('a stock position in parts (partition.ts)', () => {
  it('a command and an event name the entry they touch: their order\'s or transfer\'s; receipts and counts none', () => {
    expect(keysOfStockCommand({ ...base, type: 'SetReservation', orderId: 'SO-1', required: 1, asOf: 1 })).toEqual(['order:SO-1']);
    expect(keysOfStockCommand({ ...base, type: 'ReceiveTransfer', transferId: 'TR-1' })).toEqual(['transfer:TR-1']);
    expect(keysOfStockCommand({ ...base, type: 'ReceiveStock', quantity: 3 })).toEqual([]);
    expect(keysOfStockEvent(reserved('SO-2', 1))).toEqual(['order:SO-2']);
    expect(keysOfStockEvent(received(5))).toEqual([]);
  });

  it('the header keeps the totals and no entry; the entries are listed by key', () => {
    const whole = fold([received(10), reserved('SO-1', 2), reserved('SO-2', 3)]);
    const header = stockHeader(whole);
    expect({ onHand: header.onHand, reserved: header.reserved, partial: header.partial }).toEqual({ onHand: 10, reserved: 5, partial: undefined });
    expect(orderEntry(header, 'SO-1')).toBe(NO_ENTRY);
    expect(stockEntries(whole).map(([key]) => key).sort()).toEqual(['order:SO-1', 'order:SO-2']);
  });

  it('loaded in part, it answers for the keys it loaded (present or absent) and throws for any other', () => {
    const whole = fold([received(10), reserved('SO-1', 2), reserved('SO-2', 3)]);
    const stored = new Map(stockEntries(whole));
    const partial = withStockEntries(stockHeader(whole), [orderKey('SO-1'), orderKey('SO-9')], stored, '2');
    expect(orderEntry(partial, 'SO-1')).toEqual(orderEntry(whole, 'SO-1'));
    expect(orderEntry(partial, 'SO-9')).toBe(NO_ENTRY);
    expect(() => orderEntry(partial, 'SO-2')).toThrow('loaded without order:SO-2');
    expect(() => transferEntry(partial, 'TR-1')).toThrow('loaded without transfer:TR-1');
    expect(missingStockKeys(partial, [orderKey('SO-1'), orderKey('SO-2')])).toEqual([orderKey('SO-2')]);
    expect(missingStockKeys(whole, [orderKey('SO-2')])).toEqual([]);
  });

  it('folding events of loaded orders on a partial position gives what the whole one gives; an unloaded order\'s event throws', () => {
    const whole = fold([received(10), reserved('SO-1', 2), reserved('SO-2', 3)]);
    const partial = withStockEntries(stockHeader(whole), [orderKey('SO-1')], new Map(stockEntries(whole)), '2');
    const more = [reserved('SO-1', 1)];
    const afterPartial = fold(more, partial);
    const afterWhole = fold(more, whole);
    expect(stockHeader(afterPartial)).toEqual(stockHeader(afterWhole));
    expect(orderEntry(afterPartial, 'SO-1')).toEqual(orderEntry(afterWhole, 'SO-1'));
    expect(() => fold([reserved('SO-2', 1)], partial)).toThrow('loaded without order:SO-2');
  });
});
