import { setEntry } from '../shared/keyed-table.js';
import { type StockEvent, type StockReleased, type StockReserved } from './events.js';
import { orderEntry, type StockOrderEntry, type StockPosition, type StockTransferEntry, transferEntry } from './state.js';

export function evolve(stock: StockPosition, event: StockEvent): StockPosition {
  const current = { ...stock, warehouseId: event.data.warehouseId, sku: event.data.sku };
  switch (event.type) {
    case 'StockReceived': {
      const { orderId, quantity, value } = event.data;
      const received = { ...current, onHand: current.onHand + quantity, value: current.value + value };
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
      const { orderId, quantity, value } = event.data;
      return withEntry(
        { ...current, onHand: current.onHand - quantity, reserved: current.reserved - quantity, value: current.value - value },
        orderId,
        (entry) => ({ ...entry, reserved: entry.reserved - quantity, shipped: entry.shipped + quantity, shippedValue: entry.shippedValue + value }),
      );
    }
    case 'StockReturned': {
      const { orderId, quantity, value } = event.data;
      return withEntry({ ...current, onHand: current.onHand + quantity, value: current.value + value }, orderId, (entry) => ({
        ...entry,
        returned: entry.returned + quantity,
        returnedValue: entry.returnedValue + value,
      }));
    }
    case 'StockReturnedToSupplier': {
      const { orderId, quantity, value } = event.data;
      return withEntry({ ...current, onHand: current.onHand - quantity, value: current.value - value }, orderId, (entry) => ({
        ...entry,
        returnedToSupplier: entry.returnedToSupplier + quantity,
      }));
    }
    case 'StockAdjusted':
      return { ...current, onHand: current.onHand + event.data.variance, value: current.value + event.data.value };
    case 'StockThresholdsSet':
      return { ...current, min: event.data.min, max: event.data.max };
    case 'StockIssued':
      return { ...current, onHand: current.onHand - event.data.quantity, value: current.value - event.data.value };
    default:
      return transferEvolved(stock, current, event);
  }
}

/** Transfers: out of `from` (on hand and value leave), arriving at `to` (in transit), received there (in transit → on hand). */
function transferEvolved(stock: StockPosition, current: StockPosition, event: StockEvent): StockPosition {
  switch (event.type) {
    case 'StockTransferredOut': {
      const { transferId, to, quantity, value } = event.data;
      const entry: StockTransferEntry = { direction: 'out', counterpart: to, quantity, value, received: 0, receivedValue: 0 };
      return { ...current, onHand: current.onHand - quantity, value: current.value - value, transfers: setEntry(current.transfers, transferId, entry) };
    }
    case 'StockTransferArriving': {
      const { transferId, from, quantity, value } = event.data;
      const entry: StockTransferEntry = { direction: 'in', counterpart: from, quantity, value, received: 0, receivedValue: 0 };
      return {
        ...current,
        inTransit: current.inTransit + quantity,
        inTransitValue: current.inTransitValue + value,
        transfers: setEntry(current.transfers, transferId, entry),
      };
    }
    case 'StockTransferReceived': {
      const { transferId, quantity, value } = event.data;
      const moved = {
        ...current,
        onHand: current.onHand + quantity,
        value: current.value + value,
        inTransit: current.inTransit - quantity,
        inTransitValue: current.inTransitValue - value,
      };
      // The stock-levels view folds totals without the entries: the totals above are all it needs.
      const entry = transferEntry(current, transferId);
      if (entry === undefined) return moved;
      return { ...moved, transfers: setEntry(moved.transfers, transferId, { ...entry, received: entry.received + quantity, receivedValue: entry.receivedValue + value }) };
    }
    default:
      // An unknown type from a newer writer changes nothing here (evolve never refuses).
      return stock;
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
