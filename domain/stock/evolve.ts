import { setEntry } from '../shared/keyed-table.js';
import { type StockEvent, type StockReleased, type StockReserved } from './events.js';
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
    case 'StockReserved':
    case 'StockReleased':
      return reservationChanged(current, event);
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
    case 'StockReturnedToSupplier': {
      const { orderId, quantity } = event.data;
      return withEntry({ ...current, onHand: current.onHand - quantity }, orderId, (entry) => ({
        ...entry,
        returnedToSupplier: entry.returnedToSupplier + quantity,
      }));
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

/** A setpoint applied: the order holds more (reserved) or less (released); `asOf` records which setpoint. */
function reservationChanged(stock: StockPosition, event: StockReserved | StockReleased): StockPosition {
  const { orderId, asOf } = event.data;
  const change = event.type === 'StockReserved' ? event.data.quantity : -event.data.quantity;
  return withEntry({ ...stock, reserved: stock.reserved + change }, orderId, (entry) => ({
    ...entry,
    reserved: entry.reserved + change,
    released: entry.released + Math.max(0, -change),
    reservationAsOf: reservationAsOf(entry, asOf),
  }));
}

/** Events written before setpoints (no `asOf`) leave the version as it was. */
const reservationAsOf = (entry: StockOrderEntry, asOf: number | undefined): number =>
  asOf === undefined ? entry.reservationAsOf : Math.max(entry.reservationAsOf, asOf);

function withEntry(stock: StockPosition, orderId: string, change: (entry: StockOrderEntry) => StockOrderEntry): StockPosition {
  return { ...stock, orders: setEntry(stock.orders, orderId, change(orderEntry(stock, orderId))) };
}
