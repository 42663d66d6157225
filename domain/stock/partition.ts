// A stock position in parts, for partitioned snapshots: its totals (the header) and one entry per order and per
// transfer that ever touched it, stored apart so that a load reads the header and only the entries it needs.
// A hot SKU's history holds hundreds of thousands of orders; the rules of one command need one of them.
import { changedEntries, emptyTable, getEntry, setEntry, tableEntries } from '../shared/keyed-table.js';
import { type StockCommand } from './commands.js';
import { type StockEvent } from './events.js';
import { orderKey, type StockOrderEntry, type StockPosition, type StockTransferEntry, transferKey } from './state.js';

const ORDER_PREFIX = 'order:';
const TRANSFER_PREFIX = 'transfer:';

/** The entries a command reads and changes: its order's or its transfer's (none for receipts, counts, issues, thresholds). */
export function keysOfStockCommand(command: StockCommand): string[] {
  if ('orderId' in command && typeof command.orderId === 'string') return [orderKey(command.orderId)];
  if ('transferId' in command && typeof command.transferId === 'string') return [transferKey(command.transferId)];
  return [];
}

/** The entry an event changes, if any. */
export function keysOfStockEvent(event: StockEvent): string[] {
  const data = event.data as { readonly orderId?: string | null; readonly transferId?: string };
  if (typeof data.orderId === 'string') return [orderKey(data.orderId)];
  if (typeof data.transferId === 'string') return [transferKey(data.transferId)];
  return [];
}

/** The entries a state holds, by key (of a partial state: those it loaded or changed). */
export function stockEntries(stock: StockPosition): [key: string, entry: StockOrderEntry | StockTransferEntry][] {
  return [
    ...tableEntries(stock.orders).map(([orderId, entry]): [string, StockOrderEntry] => [orderKey(orderId), entry]),
    ...tableEntries(stock.transfers).map(([transferId, entry]): [string, StockTransferEntry] => [transferKey(transferId), entry]),
  ];
}

/** The entries of `next` that differ from `previous` (an earlier state of the same position), by key. */
export function changedStockEntries(previous: StockPosition, next: StockPosition): [key: string, entry: StockOrderEntry | StockTransferEntry][] {
  return [
    ...changedEntries(previous.orders, next.orders).map(([orderId, entry]): [string, StockOrderEntry] => [orderKey(orderId), entry]),
    ...changedEntries(previous.transfers, next.transfers).map(([transferId, entry]): [string, StockTransferEntry] => [transferKey(transferId), entry]),
  ];
}

/** The totals alone: empty tables, whole (what a partitioned snapshot stores as its header). */
export function stockHeader(stock: StockPosition): StockPosition {
  const { partial: _partial, ...header } = stock;
  return { ...header, orders: emptyTable<StockOrderEntry>(), transfers: emptyTable<StockTransferEntry>() };
}

/**
 * `stock` (a header, or a partial state) with the entries of `keys` added as the partitioned snapshot at `asOf`
 * holds them (`found`; a key not found has no entry), marked partial with those keys loaded.
 */
export function withStockEntries(stock: StockPosition, keys: readonly string[], found: ReadonlyMap<string, unknown>, asOf: string): StockPosition {
  let { orders, transfers } = stock;
  let loaded = stock.partial?.keys ?? emptyTable<true>();
  for (const key of keys) {
    loaded = setEntry(loaded, key, true);
    const entry = found.get(key);
    if (entry === undefined) continue;
    if (key.startsWith(ORDER_PREFIX)) orders = setEntry(orders, key.slice(ORDER_PREFIX.length), entry as StockOrderEntry);
    else if (key.startsWith(TRANSFER_PREFIX)) transfers = setEntry(transfers, key.slice(TRANSFER_PREFIX.length), entry as StockTransferEntry);
  }
  return { ...stock, orders, transfers, partial: { asOf, keys: loaded } };
}

/** The snapshot revision a partial state was loaded from; undefined for a whole one. */
export const partialAsOf = (stock: StockPosition): string | undefined => stock.partial?.asOf;

/** Which of `keys` a partial state has not loaded (none for a whole state). */
export function missingStockKeys(stock: StockPosition, keys: readonly string[]): string[] {
  const partial = stock.partial;
  return partial === undefined ? [] : keys.filter((key) => getEntry(partial.keys, key) !== true);
}
