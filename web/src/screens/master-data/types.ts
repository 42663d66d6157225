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
  readonly preferredSupplierId?: string | null;
  readonly leadTimeDays?: number | null;
  /** false once deactivated: it refuses new orders (409 inactive); absent before the API had changes. */
  readonly active?: boolean;
  readonly registeredAt?: string | null;
  /** In a list: the position of its last event; in a write's answer: of the event it appended (null: none). */
  readonly position?: string | null;
}

/** GET /api/customers, /api/suppliers: personal fields are null once erased, and for roles that may not see them. */
export interface Party {
  readonly id: string;
  readonly name: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly erased?: boolean;
  /** false once deactivated: it refuses new orders. */
  readonly active?: boolean;
  readonly registeredAt?: string | null;
  /** In a list: the position of its last event; in a write's answer: of the event it appended (null: none). */
  readonly position?: string | null;
}

/** A form's optional text: trimmed, or left out when empty (the API refuses null for an optional field). */
export function optionalText(value: string | undefined): string | undefined {
  return value?.trim() || undefined;
}

/**
 * The body of a PATCH: only the fields whose value differs from what the record has now (a PATCH that
 * changes nothing appends nothing; sending only changes keeps the history readable). `undefined` in
 * `edited` means "not in the form"; null clears a field that may be empty.
 */
export function changedFields<T extends object>(current: T, edited: Partial<Record<keyof T, unknown>>): Partial<T> {
  const changes: Partial<Record<keyof T, unknown>> = {};
  for (const key of Object.keys(edited) as (keyof T)[]) {
    const value = edited[key];
    if (value === undefined) continue;
    const before = (current as Record<keyof T, unknown>)[key] ?? null;
    if (value !== before) changes[key] = value;
  }
  return changes as Partial<T>;
}
