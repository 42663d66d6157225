import { type AuditEntry, type OrderView, type StockLevelView } from '../../projections/index.js';
import { DEFAULT_CURRENCY } from '../../domain/index.js';
import { type Cell, type ColumnKind, type SheetColumn, type SheetLayout } from './sheet.js';

/** A view's documents as spreadsheet rows: one layout, and the rows of one document (several for an order: one per line). */
export interface SheetSpec<D> extends SheetLayout {
  rows(doc: D): readonly (readonly Cell[])[];
}

const column = (header: string, kind: ColumnKind = 'text', width?: number): SheetColumn => ({ header, kind, ...(width === undefined ? {} : { width }) });

/**
 * Orders: one row per order line, the order's own fields repeated on each (an order without lines, which
 * placement refuses, would still get one row). Money in major units of the order's currency; times as dates.
 */
export const ORDER_LINES: SheetSpec<OrderView> = {
  sheet: 'orders',
  columns: [
    column('orderId', 'text', 24), column('number', 'text', 18), column('kind'), column('status', 'text', 16), column('partyId', 'text', 16),
    column('warehouseId'), column('ownerId'), column('placedAt', 'time', 20), column('updatedAt', 'time', 20), column('currency'),
    column('orderTotal', 'money', 14), column('paid', 'money', 14), column('refunded', 'money', 14),
    column('cancellation'), column('cancellationReason', 'text', 24),
    column('line', 'integer', 6), column('sku', 'text', 20), column('quantity', 'integer'), column('unitPrice', 'money', 14), column('lineValue', 'money', 14),
    column('cancelled', 'integer'), column('shipped', 'integer'), column('delivered', 'integer'), column('received', 'integer'), column('returned', 'integer'),
  ],
  rows(order) {
    const head: Cell[] = [
      order.orderId, order.number, order.kind, order.status, order.partyId, order.warehouseId, order.ownerId, order.placedAt, order.updatedAt, order.currency,
      order.total, order.paid, order.refunded, order.cancellation?.state ?? null, order.cancellation?.reason ?? null,
    ];
    if (order.lines.length === 0) return [[...head, ...Array<Cell>(10).fill(null)]];
    return order.lines.map((line, index) => [
      ...head,
      index + 1, line.sku, line.quantity, line.unitPrice, line.quantity * line.unitPrice, line.cancelled, line.shipped, line.delivered, line.received, line.returned,
    ]);
  },
};

/** Stock positions: one row per sku and warehouse; cost and value in major units of the business currency. */
export const STOCK_LEVELS: SheetSpec<StockLevelView> = {
  sheet: 'stock',
  columns: [
    column('sku', 'text', 20), column('warehouseId'), column('onHand', 'integer'), column('reserved', 'integer'), column('available', 'integer'),
    column('incoming', 'integer'), column('inTransit', 'integer'), column('min', 'integer'), column('max', 'integer'), column('alert'),
    column('currency'), column('unitCost', 'money', 14), column('value', 'money', 14), column('inTransitValue', 'money', 14), column('position', 'text', 14),
  ],
  rows: (level) => [[
    level.sku, level.warehouseId, level.onHand, level.reserved, level.available, level.incoming, level.inTransit, level.min, level.max, level.alert,
    DEFAULT_CURRENCY, level.unitCost, level.value, level.inTransitValue, level.position,
  ]],
};

/** The audit trail: one row per business event; its data as JSON (personal data disclosed for the caller first). */
export const AUDIT_TRAIL: SheetSpec<AuditEntry> = {
  sheet: 'audit',
  columns: [
    column('occurredAt', 'time', 20), column('position', 'text', 14), column('streamId', 'text', 28), column('revision', 'integer'), column('type', 'text', 24),
    column('actor'), column('roles', 'text', 16), column('reason', 'text', 24), column('orderId', 'text', 24), column('summary', 'text', 48),
    column('correlationId', 'text', 38), column('causationId', 'text', 38), column('commandId', 'text', 38), column('data', 'json', 48),
  ],
  rows: (entry) => [
    [
      entry.occurredAt, entry.position, entry.streamId, entry.revision, entry.type, entry.actor?.id ?? null, entry.actor?.roles.join(' ') ?? null, entry.reason ?? null,
      entry.orderId, entry.summary, entry.correlationId, entry.causationId, entry.commandId, entry.data,
    ],
  ],
};
