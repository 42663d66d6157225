import { type GoodsReceived, type OrderPlaced } from '../domain/order/events.js';
import { dayOf, measuredLeadTimeDays } from '../domain/planning/reorder.js';
import { businessEventOf } from './business-events.js';
import { type ProjectedEvent, type ViewDoc } from './projected-event.js';
import { type FoldedView } from './view-spec.js';

/**
 * Units of one SKU asked for by the sales placed on one UTC day in one warehouse: demand as customers expressed it,
 * placements the stock could not serve (rejected) included, later amendments and cancellations not deducted.
 */
export interface DailyDemandView extends ViewDoc {
  readonly warehouseId: string;
  readonly sku: string;
  readonly day: string;
  readonly quantity: number;
}

/** One SKU of one purchase order: who supplies it, when it was ordered and when it first arrived (its lead time). */
export interface PurchaseLeadTimeView extends ViewDoc {
  readonly orderId: string;
  readonly sku: string;
  readonly warehouseId: string;
  readonly supplierId: string;
  readonly placedAt: string;
  /** The first receipt of this SKU on the order; null while none came. */
  readonly receivedAt: string | null;
  /** Whole days from placement to that receipt, rounded up, at least 1; null while none came. */
  readonly leadTimeDays: number | null;
}

export const dailyDemandView: FoldedView<DailyDemandView> = {
  kind: 'folded',
  name: 'planning_demand',
  indexes: [
    { fields: [{ field: 'warehouseId', direction: 'asc' }, { field: 'day', direction: 'asc' }] },
    { fields: [{ field: 'sku', direction: 'asc' }, { field: 'warehouseId', direction: 'asc' }, { field: 'day', direction: 'asc' }] },
  ],
  documentIds(event) {
    const placed = salePlaced(event);
    if (placed === null) return [];
    return [...new Set(placed.lines.map((line) => demandId(placed.warehouseId, line.sku, dayOf(placed.at))))];
  },
  apply(doc, event, id) {
    const placed = salePlaced(event);
    if (placed === null) return doc;
    const day = dayOf(placed.at);
    const line = placed.lines.find((candidate) => demandId(placed.warehouseId, candidate.sku, day) === id);
    if (line === undefined) return doc;
    const quantity = placed.lines.filter((candidate) => candidate.sku === line.sku).reduce((sum, candidate) => sum + candidate.quantity, 0);
    return { id, position: event.position, warehouseId: placed.warehouseId, sku: line.sku, day, quantity: (doc?.quantity ?? 0) + quantity };
  },
};

export const purchaseLeadTimesView: FoldedView<PurchaseLeadTimeView> = {
  kind: 'folded',
  name: 'planning_purchases',
  indexes: [{ fields: [{ field: 'sku', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] }],
  documentIds(event) {
    const business = businessEventOf(event);
    if (business?.category !== 'order') return [];
    const { type, data } = business.event;
    if (type === 'OrderPlaced' && data.kind === 'purchase') return [...new Set(data.lines.map((line) => purchaseLineId(data.orderId, line.sku)))];
    if (type === 'GoodsReceived') return [...new Set(data.lines.map((line) => purchaseLineId(data.orderId, line.sku)))];
    return [];
  },
  apply(doc, event, id) {
    const business = businessEventOf(event);
    if (business?.category !== 'order') return doc;
    const { type, data } = business.event;
    if (type === 'OrderPlaced') return doc ?? placedLine(data, id, event.position);
    if (type === 'GoodsReceived') return receivedLine(doc, data, event.position);
    return doc;
  },
};

function salePlaced(event: ProjectedEvent): OrderPlaced['data'] | null {
  const business = businessEventOf(event);
  if (business?.category !== 'order' || business.event.type !== 'OrderPlaced' || business.event.data.kind !== 'sale') return null;
  return business.event.data;
}

function placedLine(data: OrderPlaced['data'], id: string, position: string): PurchaseLeadTimeView | null {
  const line = data.lines.find((candidate) => purchaseLineId(data.orderId, candidate.sku) === id);
  if (line === undefined) return null;
  return { id, position, orderId: data.orderId, sku: line.sku, warehouseId: data.warehouseId, supplierId: data.partyId, placedAt: data.at, receivedAt: null, leadTimeDays: null };
}

/** Only the first receipt of a SKU measures its lead time; a receipt for a purchase this view never saw is ignored. */
function receivedLine(doc: PurchaseLeadTimeView | null, data: GoodsReceived['data'], position: string): PurchaseLeadTimeView | null {
  if (doc === null || doc.receivedAt !== null) return doc;
  return { ...doc, position, receivedAt: data.at, leadTimeDays: measuredLeadTimeDays(doc.placedAt, data.at) };
}

function demandId(warehouseId: string, sku: string, day: string): string {
  return `${warehouseId}|${sku}|${day}`;
}

function purchaseLineId(orderId: string, sku: string): string {
  return `${orderId}|${sku}`;
}
