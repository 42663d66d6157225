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
  /** 在途: units transferred to this warehouse and not yet received (absent before the API had transfers). */
  readonly inTransit?: number;
  /** Moving weighted average cost of one unit on hand, integer minor units (0 when nothing is on hand). */
  readonly unitCost?: number;
  /** 库存金额: the value of what is on hand, integer minor units in the business currency. */
  readonly value?: number;
  /** The currency of `unitCost` and `value` (the business currency; CNY when the API does not say). */
  readonly currency?: string;
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

/** The business currency of a position's cost and value (API.md: CNY unless the service says otherwise). */
export function currencyOf(level: Pick<StockLevel, 'currency'>): string {
  return level.currency || 'CNY';
}

/** The total value of positions per currency (in the order the currencies first appear), exact in minor units. */
export function valueTotals(levels: readonly Pick<StockLevel, 'value' | 'currency'>[]): { currency: string; value: number }[] {
  const totals = new Map<string, number>();
  for (const level of levels) {
    if (level.value === undefined) continue;
    const currency = currencyOf(level);
    totals.set(currency, (totals.get(currency) ?? 0) + level.value);
  }
  return [...totals].map(([currency, value]) => ({ currency, value }));
}

/** `POST /api/stock/transfers`, `GET /api/stock/transfers[/:id]` (only the fields the console shows). */
export interface Transfer {
  readonly transferId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly from: string;
  readonly to: string;
  readonly note?: string | null;
  /** `in_transit` until received at `to`. */
  readonly status?: string;
  readonly received?: number;
  readonly sentAt?: string | null;
  readonly at?: string | null;
  readonly position?: string | null;
}

/** Units of a transfer still on the way: sent less received. */
export function stillInTransit(transfer: Pick<Transfer, 'quantity' | 'received'>): number {
  return Math.max(0, transfer.quantity - (transfer.received ?? 0));
}
