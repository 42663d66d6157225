import { type RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { stalledKey } from './stalled-processes.js';

/** The order an event concerns, if any: its order or payment stream, or the order id a stock or credit event carries. */
function orderOfEvent(event: RecordedEvent): string | undefined {
  if (event.streamId.startsWith('order-')) return event.streamId.slice('order-'.length);
  if (event.streamId.startsWith('payment-')) return event.streamId.slice('payment-'.length);
  // A store credit spend names the order its payment is for; a grant from an order's refund or goodwill names it too.
  if (event.streamId.startsWith('stock-') || event.streamId.startsWith('credit-')) {
    const orderId = (event.data as { orderId?: unknown } | null)?.orderId;
    return typeof orderId === 'string' ? orderId : undefined;
  }
  return undefined;
}

/**
 * The product whose process an event may advance: its product stream; or a transfer of it, decided on a stock
 * position (`<sku>:<from>:<transferId>`, run by ProductProcessRunner through TransferProcessRunner).
 */
function productOfEvent(event: RecordedEvent): string | undefined {
  if (event.type === 'StockTransferredOut' && event.streamId.startsWith('stock-')) {
    const { sku, warehouseId, transferId } = event.data as { sku: string; warehouseId: string; transferId: string };
    return `${sku}:${warehouseId}:${transferId}`;
  }
  return event.streamId.startsWith('product-') ? event.streamId.slice('product-'.length) : undefined;
}

/**
 * The process run an event asks the recovery for: its order's (`order:<id>`), unless that order's
 * process settled inline with this event already in view (`settledInline`: nothing to do), else its
 * product's (`product:<sku>`), else none.
 */
export function runKeyOf(event: RecordedEvent, settledWithEvent: (orderId: string) => boolean): { key: string | undefined; settledInline: boolean } {
  const orderId = orderOfEvent(event);
  if (orderId !== undefined) {
    const settledInline = settledWithEvent(orderId);
    return { key: settledInline ? undefined : stalledKey('order', orderId), settledInline };
  }
  const sku = productOfEvent(event);
  return { key: sku === undefined ? undefined : stalledKey('product', sku), settledInline: false };
}
