import { type StockEvent } from '../../domain/stock/events.js';

/** How much one stock event moves on hand, read from the event alone (for "on hand equals the sum of its events"). */
export function onHandChange(event: StockEvent): number {
  switch (event.type) {
    case 'StockReceived':
    case 'StockReturned':
      return event.data.quantity;
    case 'StockShipped':
    case 'StockReturnedToSupplier':
      return -event.data.quantity;
    case 'StockAdjusted':
      return event.data.variance;
    default:
      return 0;
  }
}
