import { type RecordedEvent } from '../../platform/event-store/event-store.port.js';

/** The order an event concerns, if any: its order or payment stream, or the order id a stock event carries. */
export function orderOfEvent(event: RecordedEvent): string | undefined {
  if (event.streamId.startsWith('order-')) return event.streamId.slice('order-'.length);
  if (event.streamId.startsWith('payment-')) return event.streamId.slice('payment-'.length);
  if (event.streamId.startsWith('stock-')) {
    const orderId = (event.data as { orderId?: unknown } | null)?.orderId;
    return typeof orderId === 'string' ? orderId : undefined;
  }
  return undefined;
}

/** The product whose process an event may advance: its product stream. */
export function productOfEvent(event: RecordedEvent): string | undefined {
  return event.streamId.startsWith('product-') ? event.streamId.slice('product-'.length) : undefined;
}
