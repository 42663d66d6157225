import { type OrderEvent } from '../domain/order/events.js';
import { type PartyEvent } from '../domain/party/events.js';
import { type PaymentEvent } from '../domain/payment/events.js';
import { type ProductEvent } from '../domain/product/events.js';
import { type StockEvent } from '../domain/stock/events.js';
import { type WarehouseEvent } from '../domain/warehouse/events.js';
import { type CreditEvent } from '../domain/credit/events.js';
import { streamCategory } from '../domain/shared/streams.js';
import { type ProjectedEvent } from './projected-event.js';

/**
 * The domain event a projected event carries, told apart by its stream's category. Events of other
 * streams (API keys, idempotency records) are not business facts: projections ignore them.
 */
export type BusinessEvent =
  | { readonly category: 'order'; readonly event: OrderEvent }
  | { readonly category: 'stock'; readonly event: StockEvent }
  | { readonly category: 'payment'; readonly event: PaymentEvent }
  | { readonly category: 'product'; readonly event: ProductEvent }
  | { readonly category: 'customer' | 'supplier'; readonly event: PartyEvent }
  | { readonly category: 'warehouse'; readonly event: WarehouseEvent }
  | { readonly category: 'credit'; readonly event: CreditEvent };

const CATEGORIES = new Set(['order', 'stock', 'payment', 'product', 'customer', 'supplier', 'warehouse', 'credit']);

export function businessEventOf(projected: ProjectedEvent): BusinessEvent | null {
  const category = streamCategory(projected.streamId);
  if (!CATEGORIES.has(category)) return null;
  return { category, event: { type: projected.type, data: projected.data } } as BusinessEvent;
}

/** The order an event concerns: its order stream, its payment stream, or a stock movement made for it. */
export function orderIdOf(projected: ProjectedEvent): string | null {
  const business = businessEventOf(projected);
  if (business === null) return null;
  switch (business.category) {
    case 'order':
    case 'payment':
      return stringField(business.event.data, 'orderId');
    case 'stock':
      return stringField(business.event.data, 'orderId');
    default:
      return null;
  }
}

function stringField(data: unknown, field: string): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const value = (data as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}
