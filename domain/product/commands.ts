/** HTTP (admin): register a product (商品) once. */
export interface RegisterProduct {
  readonly type: 'RegisterProduct';
  readonly sku: string;
  readonly name: string;
  readonly spec?: string | null;
  /** Unit of quantities (件, kg...); `pcs` when not given. */
  readonly unit?: string | null;
  /** List price in minor units. */
  readonly price: number;
  /** Default thresholds for its stock position in the default warehouse. */
  readonly minStock?: number | null;
  readonly maxStock?: number | null;
}

/** What a change may set: each field given is the new value (null clears an optional one). */
export interface ProductChanges {
  readonly name?: string;
  readonly spec?: string | null;
  readonly unit?: string;
  readonly price?: number;
  readonly minStock?: number | null;
  readonly maxStock?: number | null;
  readonly preferredSupplierId?: string | null;
  readonly leadTimeDays?: number | null;
  readonly active?: boolean;
}

/** HTTP (warehouse, admin): PATCH a product. Placed orders keep their line prices; an inactive product takes no new orders. */
export interface ChangeProduct {
  readonly type: 'ChangeProduct';
  readonly sku: string;
  readonly changes: ProductChanges;
}

export type ProductCommand = RegisterProduct | ChangeProduct;
