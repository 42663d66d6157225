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

export type ProductCommand = RegisterProduct;
