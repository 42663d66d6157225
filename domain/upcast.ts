import { type DomainEvent } from './shared/event.js';
import { ORDER_EVENT_SCHEMA_VERSIONS } from './order/events.js';
import { upcastOrderEvent } from './order/upcast.js';
import { PARTY_EVENT_SCHEMA_VERSIONS } from './party/events.js';
import { PAYMENT_EVENT_SCHEMA_VERSIONS } from './payment/events.js';
import { upcastPaymentEvent } from './payment/upcast.js';
import { CREDIT_EVENT_SCHEMA_VERSIONS } from './credit/events.js';
import { PRODUCT_EVENT_SCHEMA_VERSIONS } from './product/events.js';
import { STOCK_EVENT_SCHEMA_VERSIONS } from './stock/events.js';
import { upcastStockEvent } from './stock/upcast.js';
import { WAREHOUSE_EVENT_SCHEMA_VERSIONS } from './warehouse/events.js';

/** The schema version the application writes into the metadata of each new event, per type. */
export const SCHEMA_VERSIONS: Readonly<Record<string, number>> = {
  ...ORDER_EVENT_SCHEMA_VERSIONS,
  ...STOCK_EVENT_SCHEMA_VERSIONS,
  ...PAYMENT_EVENT_SCHEMA_VERSIONS,
  ...PRODUCT_EVENT_SCHEMA_VERSIONS,
  ...PARTY_EVENT_SCHEMA_VERSIONS,
  ...WAREHOUSE_EVENT_SCHEMA_VERSIONS,
  ...CREDIT_EVENT_SCHEMA_VERSIONS,
};

/** 1 for a type this code does not know (it has never had another version). */
export function currentSchemaVersion(type: string): number {
  return Object.hasOwn(SCHEMA_VERSIONS, type) ? SCHEMA_VERSIONS[type] : 1;
}

/**
 * Brings an event read from the store to the current schema of its type, before `evolve` or a
 * projection sees it. Pure; data already current is returned as it is.
 * Data written by a newer schema than this code knows cannot be read safely: that throws.
 */
export function upcast(type: string, schemaVersion: number, data: unknown): unknown {
  const current = currentSchemaVersion(type);
  if (schemaVersion === current) return data;
  if (schemaVersion > current) {
    throw new Error(`${type} schema version ${schemaVersion} is newer than this code knows (${current})`);
  }
  if (Object.hasOwn(STOCK_EVENT_SCHEMA_VERSIONS, type)) return upcastStockEvent(type, schemaVersion, data);
  return upcastPaymentEvent(type, schemaVersion, upcastOrderEvent(type, schemaVersion, data));
}

/** The same, as the event `evolve` takes: `upcastEvent<OrderEvent>('OrderPlaced', 1, data)`. */
export function upcastEvent<Event extends DomainEvent>(type: string, schemaVersion: number, data: unknown): Event {
  return { type, data: upcast(type, schemaVersion, data) } as Event;
}
