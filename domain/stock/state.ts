import { emptyTable, getEntry, type KeyedTable, tableEntries } from '../shared/keyed-table.js';
import { averageOf } from './value.js';

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
  /** Cost of the units shipped for the order, and of those of them back on hand (a return restocks at the cost it left with). */
  readonly shippedValue: number;
  readonly returnedValue: number;
}

/**
 * One transfer (调拨) as this position saw it: `out` at the `from` position (units and value that left),
 * `in` at the `to` position (units and value that arrived in transit, and how much of them was received).
 */
export interface StockTransferEntry {
  readonly direction: 'out' | 'in';
  /** The other warehouse: `to` for `out`, `from` for `in`. */
  readonly counterpart: string;
  readonly quantity: number;
  readonly value: number;
  readonly received: number;
  readonly receivedValue: number;
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
  /** Total value of the on-hand units, in minor units of the business currency (value.ts). */
  readonly value: number;
  /** Units of transfers to this position not received yet, and their value. */
  readonly inTransit: number;
  readonly inTransitValue: number;
  readonly transfers: KeyedTable<StockTransferEntry>;
  /**
   * Set when the position was loaded in part (partition.ts): its totals are whole, but its tables hold only the
   * entries of the keys listed. Reading any other order's or transfer's entry throws: a caller must name the keys
   * it needs when it loads, so nothing is ever decided on an entry that was not read. Absent: the state is whole.
   */
  readonly partial?: StockPartial;
}

/** A position loaded in part: from the partitioned snapshot at revision `asOf`, with the entries of `keys`. */
export interface StockPartial {
  readonly asOf: string;
  /**
   * `order:<orderId>` and `transfer:<transferId>`: loaded (present in the tables, or known to have no entry). A
   * keyed table, not a plain object: adding a key copies one small bucket, not every key loaded so far.
   */
  readonly keys: KeyedTable<true>;
}

/** The key of an order's entry, and of a transfer's, in a partitioned snapshot. */
export const orderKey = (orderId: string): string => `order:${orderId}`;
export const transferKey = (transferId: string): string => `transfer:${transferId}`;

/** An entry absent from the tables: none for a whole state, a programming error for a key a partial one did not load. */
function absent(stock: StockPosition, key: string): undefined {
  if (stock.partial !== undefined && getEntry(stock.partial.keys, key) !== true) {
    throw new Error(`stock position ${stock.warehouseId ?? '?'}/${stock.sku ?? '?'} was loaded without ${key}`);
  }
  return undefined;
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
  value: 0,
  inTransit: 0,
  inTransitValue: 0,
  transfers: emptyTable<StockTransferEntry>(),
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
  shippedValue: 0,
  returnedValue: 0,
};

export function transferEntry(stock: StockPosition, transferId: string): StockTransferEntry | undefined {
  return getEntry(stock.transfers, transferId) ?? absent(stock, transferKey(transferId));
}

/** The moving average cost of one unit on hand (0 when nothing is on hand). */
export const unitCostOf = (stock: StockPosition): number => averageOf(stock.value, stock.onHand);

export function orderEntry(stock: StockPosition, orderId: string): StockOrderEntry {
  return getEntry(stock.orders, orderId) ?? absent(stock, orderKey(orderId)) ?? NO_ENTRY;
}

/** Every order's entry: only of a whole state (a partial one throws). */
export function orderEntries(stock: StockPosition): [orderId: string, entry: StockOrderEntry][] {
  if (stock.partial !== undefined) throw new Error(`stock position ${stock.warehouseId ?? '?'}/${stock.sku ?? '?'} was loaded in part: its entries are not all here`);
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
  /** Moving average cost of a unit on hand, and the value of what is on hand (minor units). */
  readonly unitCost: number;
  readonly value: number;
  /** Units of transfers on their way to this position, and their value. */
  readonly inTransit: number;
  readonly inTransitValue: number;
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
    unitCost: unitCostOf(stock),
    value: stock.value,
    inTransit: stock.inTransit,
    inTransitValue: stock.inTransitValue,
  };
}
