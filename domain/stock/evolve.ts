import { setEntry } from '../shared/keyed-table.js';
import { type StockEvent } from './events.js';
import { orderEntry, type StockOrderEntry, type StockPosition } from './state.js';

export function evolve(stock: StockPosition, event: StockEvent): StockPosition {
  const current = { ...stock, warehouseId: event.data.warehouseId, sku: event.data.sku };
  switch (event.type) {
    case 'StockReceived': {
      const { orderId, quantity } = event.data;
      const received = { ...current, onHand: current.onHand + quantity };
      if (orderId === null) return received;
      return withEntry({ ...received, incoming: received.incoming - quantity }, orderId, (entry) => ({ ...entry, received: entry.received + quantity }));
    }
    case 'StockExpected': {
      const { orderId, quantity } = event.data;
      return withEntry({ ...current, incoming: current.incoming + quantity }, orderId, (entry) => ({ ...entry, expected: entry.expected + quantity }));
    }
    case 'StockExpectationCancelled': {
      const { orderId, quantity } = event.data;
      return withEntry({ ...current, incoming: current.incoming - quantity }, orderId, (entry) => ({
        ...entry,
        expectationCancelled: entry.expectationCancelled + quantity,
      }));
    }
    case 'StockReserved': {
      const { orderId, quantity } = event.data;
      return withEntry({ ...current, reserved: current.reserved + quantity }, orderId, (entry) => ({ ...entry, reserved: entry.reserved + quantity }));
    }
    case 'StockReleased': {
      const { orderId, quantity } = event.data;
      return withEntry({ ...current, reserved: current.reserved - quantity }, orderId, (entry) => ({
        ...entry,
        reserved: entry.reserved - quantity,
        released: entry.released + quantity,
      }));
    }
    case 'StockShipped': {
      const { orderId, quantity } = event.data;
      return withEntry(
        { ...current, onHand: current.onHand - quantity, reserved: current.reserved - quantity },
        orderId,
        (entry) => ({ ...entry, reserved: entry.reserved - quantity, shipped: entry.shipped + quantity }),
      );
    }
    case 'StockReturned': {
      const { orderId, quantity } = event.data;
      return withEntry({ ...current, onHand: current.onHand + quantity }, orderId, (entry) => ({ ...entry, returned: entry.returned + quantity }));
    }
    case 'StockAdjusted':
      return { ...current, onHand: current.onHand + event.data.variance };
    case 'StockThresholdsSet':
      return { ...current, min: event.data.min, max: event.data.max };
    default: {
      // An unknown type from a newer writer changes nothing here (evolve never refuses).
      const _unknown: never = event;
      return stock;
    }
  }
}

function withEntry(stock: StockPosition, orderId: string, change: (entry: StockOrderEntry) => StockOrderEntry): StockPosition {
  return { ...stock, orders: setEntry(stock.orders, orderId, change(orderEntry(stock, orderId))) };
}
