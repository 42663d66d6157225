import { emptyTable } from '../domain/shared/keyed-table.js';
import { evolve as evolveStock } from '../domain/stock/evolve.js';
import { type StockLevel, stockLevel, type StockOrderEntry, type StockPosition, type StockTransferEntry } from '../domain/stock/state.js';
import { businessEventOf } from './business-events.js';
import { type ViewDoc } from './projected-event.js';
import { type FoldedView } from './view-spec.js';

/** API.md's stock level of one position (`stock-<warehouseId>-<sku>`, also its id), with the stream revision applied last. */
export interface StockLevelView extends StockLevel, ViewDoc {
  readonly sku: string;
  readonly warehouseId: string;
  readonly revision: number;
}

const NO_ORDERS = emptyTable<StockOrderEntry>();
const NO_TRANSFERS = emptyTable<StockTransferEntry>();

export const stockLevelsView: FoldedView<StockLevelView> = {
  kind: 'folded',
  name: 'stock_levels',
  indexes: [
    { fields: [{ field: 'sku', direction: 'asc' }, { field: 'warehouseId', direction: 'asc' }] },
    { fields: [{ field: 'warehouseId', direction: 'asc' }, { field: 'sku', direction: 'asc' }] },
  ],
  documentIds(event) {
    return businessEventOf(event)?.category === 'stock' ? [event.streamId] : [];
  },
  apply(doc, event) {
    const business = businessEventOf(event);
    if (business?.category !== 'stock') return doc;
    if (doc !== null && event.revision <= doc.revision) return doc;
    // The totals are all a level shows (movements carry their value); the per-order and per-transfer entries
    // (the write side's idempotency) stay behind.
    const level = stockLevel(evolveStock(positionOf(doc), business.event));
    return { id: event.streamId, ...level, sku: level.sku ?? '', warehouseId: level.warehouseId ?? '', revision: event.revision, position: event.position };
  },
};

function positionOf(doc: StockLevelView | null): StockPosition {
  return {
    warehouseId: doc?.warehouseId ?? null,
    sku: doc?.sku ?? null,
    onHand: doc?.onHand ?? 0,
    reserved: doc?.reserved ?? 0,
    incoming: doc?.incoming ?? 0,
    min: doc?.min ?? null,
    max: doc?.max ?? null,
    orders: NO_ORDERS,
    value: doc?.value ?? 0,
    inTransit: doc?.inTransit ?? 0,
    inTransitValue: doc?.inTransitValue ?? 0,
    transfers: NO_TRANSFERS,
  };
}
