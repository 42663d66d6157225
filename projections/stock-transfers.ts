import { businessEventOf } from './business-events.js';
import { type ProjectedEvent, type ViewDoc } from './projected-event.js';
import { type FoldedView } from './view-spec.js';

/** A transfer (调拨) as API.md shows it: sent from `from`, in transit at `to` until received there. Id: its transferId. */
export interface StockTransferView extends ViewDoc {
  readonly transferId: string;
  readonly sku: string;
  readonly from: string;
  readonly to: string;
  readonly quantity: number;
  /** Units received on hand at `to` so far. */
  readonly received: number;
  /** `in_transit` until every unit is received at `to`, then `received`. */
  readonly status: 'in_transit' | 'received';
  /** Value the units left `from` with, and the part of it received at `to` (minor units). */
  readonly value: number;
  readonly receivedValue: number;
  readonly note: string | null;
  readonly sentBy: string | null;
  readonly sentAt: string | null;
  /** True once the transfer is recorded in transit at `to` (the process step after the decision). */
  readonly arrived: boolean;
  readonly receivedAt: string | null;
}

const TRANSFER_EVENTS = new Set(['StockTransferredOut', 'StockTransferArriving', 'StockTransferReceived']);

export const stockTransfersView: FoldedView<StockTransferView> = {
  kind: 'folded',
  name: 'stock_transfers',
  indexes: [
    { fields: [{ field: 'status', direction: 'asc' }, { field: 'transferId', direction: 'asc' }] },
    { fields: [{ field: 'transferId', direction: 'asc' }] },
  ],
  documentIds(event) {
    const business = businessEventOf(event);
    if (business?.category !== 'stock' || !TRANSFER_EVENTS.has(business.event.type)) return [];
    return [(business.event.data as { transferId: string }).transferId];
  },
  apply(doc, event) {
    const business = businessEventOf(event);
    if (business?.category !== 'stock') return doc;
    const { event: stock } = business;
    switch (stock.type) {
      case 'StockTransferredOut': {
        const { transferId, sku, warehouseId, to, quantity, value, note } = stock.data;
        return {
          id: transferId, transferId, sku, from: warehouseId, to, quantity, received: 0, status: 'in_transit', value, receivedValue: 0, note,
          sentBy: event.metadata.actor?.id ?? null, sentAt: event.metadata.occurredAt ?? null, arrived: doc?.arrived ?? false, receivedAt: null, position: event.position,
        };
      }
      case 'StockTransferArriving':
        return doc === null ? null : { ...doc, arrived: true, position: event.position };
      case 'StockTransferReceived':
        return doc === null ? null : received(doc, stock.data.quantity, stock.data.value, event);
      default:
        return doc;
    }
  },
};

function received(doc: StockTransferView, quantity: number, value: number, event: ProjectedEvent): StockTransferView {
  const total = doc.received + quantity;
  return {
    ...doc,
    received: total,
    receivedValue: doc.receivedValue + value,
    status: total >= doc.quantity ? 'received' : 'in_transit',
    receivedAt: event.metadata.occurredAt ?? doc.receivedAt,
    position: event.position,
  };
}
