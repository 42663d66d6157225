import { type StockEvent } from '../../domain/stock/events.js';

/** How much one stock event moves on hand, read from the event alone (for "on hand equals the sum of its events"). */
export function onHandChange(event: StockEvent): number {
  switch (event.type) {
    case 'StockReceived':
    case 'StockReturned':
      return event.data.quantity;
    case 'StockShipped':
    case 'StockReturnedToSupplier':
    case 'StockIssued':
    case 'StockTransferredOut':
      return -event.data.quantity;
    case 'StockTransferReceived':
      return event.data.quantity;
    case 'StockAdjusted':
      return event.data.variance;
    default:
      return 0;
  }
}

/**
 * How much one stock event moves the inventory value of its position (on hand and in transit together), read
 * from the event alone (for "the value equals the sum of its events"). A transfer's arrival on hand moves
 * value from in transit to on hand: 0.
 */
export function valueChange(event: StockEvent): number {
  switch (event.type) {
    case 'StockReceived':
    case 'StockReturned':
    case 'StockAdjusted':
    case 'StockTransferArriving':
      return event.data.value;
    case 'StockShipped':
    case 'StockReturnedToSupplier':
    case 'StockIssued':
    case 'StockTransferredOut':
      return -event.data.value;
    default:
      return 0;
  }
}
