/** `GET /api/stock`, `GET /api/stock/:sku` and the stock commands' answer (only the fields the console shows). */
export interface StockLevel {
  readonly sku: string;
  readonly warehouseId: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly incoming: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly alert: 'low' | 'high' | null;
  /** The log position of what the command appended (null when it appended nothing): read your own write with it. */
  readonly position: string | null;
}

/** `POST /api/stock/counts`: the level after the count, with counted minus what was on hand. */
export interface StockCount extends StockLevel {
  readonly variance: number;
}

/** The warehouse a form names: what was typed, or `main` (the API's default) when left empty. */
export function warehouseOf(typed: string | undefined): string {
  return typed?.trim() || 'main';
}

/** A change of stock, signed: `+3`, `-2`, `0`. */
export function signed(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { signDisplay: 'exceptZero' }).format(value);
}
