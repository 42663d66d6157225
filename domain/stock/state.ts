import { emptyTable, getEntry, type KeyedTable, tableEntries } from '../shared/keyed-table.js';

/** What one order did to this stock position; kept forever, so every order step is idempotent. */
export interface StockOrderEntry {
  /** Units held for the order now (0 once released or shipped). */
  readonly reserved: number;
  readonly released: number;
  readonly shipped: number;
  /** Resellable units of the order put back on hand. */
  readonly returned: number;
  /** Units a purchase order announced as incoming. */
  readonly expected: number;
  readonly received: number;
  readonly expectationCancelled: number;
  /** Purchase returns: received units sent back to the supplier. */
  readonly returnedToSupplier: number;
  /** The order's requirementVersion of the last reservation setpoint applied (0: none yet). */
  readonly reservationAsOf: number;
}

export interface StockPosition {
  readonly warehouseId: string | null;
  readonly sku: string | null;
  readonly onHand: number;
  /** Σ reserved over all orders, kept by the fold so a decision never sums thousands of entries. */
  readonly reserved: number;
  /** Σ incoming over all purchase orders. */
  readonly incoming: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly orders: KeyedTable<StockOrderEntry>;
}

export const initialState: StockPosition = {
  warehouseId: null,
  sku: null,
  onHand: 0,
  reserved: 0,
  incoming: 0,
  min: null,
  max: null,
  orders: emptyTable<StockOrderEntry>(),
};

export const NO_ENTRY: StockOrderEntry = {
  reserved: 0,
  released: 0,
  shipped: 0,
  returned: 0,
  expected: 0,
  received: 0,
  expectationCancelled: 0,
  returnedToSupplier: 0,
  reservationAsOf: 0,
};

export function orderEntry(stock: StockPosition, orderId: string): StockOrderEntry {
  return getEntry(stock.orders, orderId) ?? NO_ENTRY;
}

export function orderEntries(stock: StockPosition): [orderId: string, entry: StockOrderEntry][] {
  return tableEntries(stock.orders);
}

/** available = onHand − Σ reserved. */
export const availableQuantity = (stock: StockPosition): number => stock.onHand - stock.reserved;

export const reservedFor = (stock: StockPosition, orderId: string): number => orderEntry(stock, orderId).reserved;

/** Incoming units of one purchase order still to come. */
export const incomingOf = (entry: StockOrderEntry): number => entry.expected - entry.received - entry.expectationCancelled;

/** Low stock: what can still be sold (available) is under `min`. */
export const isBelowMin = (stock: StockPosition): boolean => stock.min !== null && availableQuantity(stock) < stock.min;

/** Overstock: what occupies the warehouse (on hand) is over `max`. */
export const isAboveMax = (stock: StockPosition): boolean => stock.max !== null && stock.onHand > stock.max;

export type StockAlert = 'low' | 'high' | null;

export function stockAlert(stock: StockPosition): StockAlert {
  if (isBelowMin(stock)) return 'low';
  if (isAboveMax(stock)) return 'high';
  return null;
}

/** A stock position as API.md's stock level shows it. */
export interface StockLevel {
  readonly sku: string | null;
  readonly warehouseId: string | null;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly incoming: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly alert: StockAlert;
}

export function stockLevel(stock: StockPosition): StockLevel {
  return {
    sku: stock.sku,
    warehouseId: stock.warehouseId,
    onHand: stock.onHand,
    reserved: stock.reserved,
    available: availableQuantity(stock),
    incoming: stock.incoming,
    min: stock.min,
    max: stock.max,
    alert: stockAlert(stock),
  };
}
