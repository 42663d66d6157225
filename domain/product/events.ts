import { type DomainEvent } from '../shared/event.js';

export type ProductRegistered = DomainEvent<'ProductRegistered', {
  readonly sku: string;
  readonly name: string;
  readonly spec: string | null;
  readonly unit: string;
  readonly price: number;
  readonly minStock: number | null;
  readonly maxStock: number | null;
}>;

export type ProductEvent = ProductRegistered;
export type ProductEventType = ProductEvent['type'];

export const PRODUCT_EVENT_SCHEMA_VERSIONS: Readonly<Record<ProductEventType, number>> = {
  ProductRegistered: 1,
};
