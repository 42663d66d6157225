/** GET /api/products (only the fields the console shows). */
export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly spec: string | null;
  readonly unit: string;
  /** Minor units, CNY. */
  readonly price: number;
  readonly minStock: number | null;
  readonly maxStock: number | null;
  readonly registeredAt?: string | null;
}

/** GET /api/customers, /api/suppliers: personal fields are null once erased, and for roles that may not see them. */
export interface Party {
  readonly id: string;
  readonly name: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly erased?: boolean;
  readonly registeredAt?: string | null;
}

/** A form's optional text: trimmed, or left out when empty (the API refuses null for an optional field). */
export function optionalText(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}
