import { type DomainEvent } from '../shared/event.js';
import { type ProductChanges } from './commands.js';

export type ProductRegistered = DomainEvent<'ProductRegistered', {
  readonly sku: string;
  readonly name: string;
  readonly spec: string | null;
  readonly unit: string;
  readonly price: number;
  readonly minStock: number | null;
  readonly maxStock: number | null;
}>;

/** Only the fields that changed, with their new values; who changed them is `changedBy` (and the metadata's actor). */
export type ProductChanged = DomainEvent<'ProductChanged', {
  readonly sku: string;
  readonly changes: ProductChanges;
  readonly changedBy: string;
}>;

export type ProductEvent = ProductRegistered | ProductChanged;
export type ProductEventType = ProductEvent['type'];

export const PRODUCT_EVENT_SCHEMA_VERSIONS: Readonly<Record<ProductEventType, number>> = {
  ProductRegistered: 1,
  ProductChanged: 1,
};
