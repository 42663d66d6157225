export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly spec: string | null;
  readonly unit: string;
  readonly price: number;
  readonly minStock: number | null;
  readonly maxStock: number | null;
  /** The supplier reorder planning proposes, if any (a ProductChanged sets it). */
  readonly preferredSupplierId: string | null;
  /** The supplier's lead time in days, when known. */
  readonly leadTimeDays: number | null;
  /** An inactive product (停用) refuses new orders and new lines (409 inactive); placed orders go on. */
  readonly active: boolean;
}

/** No product before its `ProductRegistered`. */
export type ProductState = Product | null;

export const initialState: ProductState = null;

export const DEFAULT_UNIT = 'pcs';

/** Longest lead time a product may declare (a year). */
export const MAX_LEAD_TIME_DAYS = 365;
