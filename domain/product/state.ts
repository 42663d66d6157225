export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly spec: string | null;
  readonly unit: string;
  readonly price: number;
  readonly minStock: number | null;
  readonly maxStock: number | null;
}

/** No product before its `ProductRegistered`. */
export type ProductState = Product | null;

export const initialState: ProductState = null;

export const DEFAULT_UNIT = 'pcs';
