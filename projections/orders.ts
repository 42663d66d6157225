import { evolve as evolveOrder } from '../domain/order/evolve.js';
import { type Order } from '../domain/order/state.js';
import { evolve as evolvePayment } from '../domain/payment/evolve.js';
import { type Payment } from '../domain/payment/state.js';
import { type OrderSummary, orderSummary } from '../domain/processes/order-summary.js';
import { emptyTable, setEntry } from '../domain/shared/keyed-table.js';
import { evolve as evolveStock } from '../domain/stock/evolve.js';
import { initialState as emptyStock, NO_ENTRY, type StockOrderEntry, type StockPosition } from '../domain/stock/state.js';
import { type BusinessEvent, businessEventOf } from './business-events.js';
import { type ProjectedEvent, type ViewDoc } from './projected-event.js';
import { type FoldedView } from './view-spec.js';

/**
 * API.md's order view: the write side's `orderSummary` (the same fields, the same values), plus
 * `revision` (the order stream's revision of the last order event applied) and `position` (the last
 * event of any stream applied to it). Folded from the order's own events, its payment stream and the
 * stock movements made for it.
 */
export interface OrderView extends OrderSummary, ViewDoc {
  readonly revision: number;
}

const NO_ORDERS = emptyTable<StockOrderEntry>();

export const ordersView: FoldedView<OrderView> = {
  kind: 'folded',
  name: 'orders',
  indexes: [
    { fields: [{ field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'kind', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'status', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'partyId', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'ownerId', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'number', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'cancellation.state', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    // GET /api/orders?onHold=true|false: held now (`onHold.at` set) or not.
    { fields: [{ field: 'onHold.at', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    // cancellation_stats gathers the approved cancellations of one day from here.
    { fields: [{ field: 'cancellation.decidedAt', direction: 'asc' }] },
  ],
  documentIds(event) {
    const business = businessEventOf(event);
    if (business === null) return [];
    if (business.category === 'order' || business.category === 'payment') return [business.event.data.orderId];
    if (business.category === 'stock' && 'orderId' in business.event.data && typeof business.event.data.orderId === 'string') {
      return [business.event.data.orderId];
    }
    return [];
  },
  apply(doc, event) {
    const business = businessEventOf(event);
    return business === null ? doc : applyToOrder(doc, business, event);
  },
};

function applyToOrder(doc: OrderView | null, business: BusinessEvent, event: ProjectedEvent): OrderView | null {
  switch (business.category) {
    case 'order': {
      if (doc !== null && event.revision <= doc.revision) return doc;
      const before = doc === null ? null : orderOf(doc);
      const order = evolveOrder(before, business.event);
      if (order === null || order === before) return doc;
      return viewOf(order, doc === null ? paymentOf(null, order) : paymentOf(doc, order), stocksOf(doc, order), event.revision, event.position);
    }
    case 'payment': {
      if (doc === null) return null;
      const order = orderOf(doc);
      return viewOf(order, evolvePayment(paymentOf(doc, order), business.event), stocksOf(doc, order), doc.revision, event.position);
    }
    case 'stock': {
      if (doc === null) return null;
      const { warehouseId, sku } = business.event.data;
      const order = orderOf(doc);
      const stocks = stocksOf(doc, order);
      // Only the stock of the order's own warehouse counts (stockPositionsOf), and only for a sku on the order.
      if (warehouseId !== order.warehouseId || !Object.hasOwn(stocks, sku)) return doc;
      const moved = { ...stocks, [sku]: evolveStock(stocks[sku], business.event) };
      return viewOf(order, paymentOf(doc, order), moved, doc.revision, event.position);
    }
    default:
      return doc;
  }
}

function viewOf(order: Order, payment: Payment, stocks: Record<string, StockPosition>, revision: number, position: string): OrderView {
  return { id: order.orderId, ...orderSummary(order, payment, stocks), revision, position };
}

/** The order state the view was made from: every field of `Order` is in the summary. */
function orderOf(view: OrderView): Order {
  const sale = view.kind === 'sale';
  return {
    orderId: view.orderId,
    number: view.number,
    kind: view.kind,
    status: view.status,
    partyId: view.partyId,
    warehouseId: view.warehouseId,
    currency: view.currency,
    lines: view.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      cancelled: line.cancelled,
      shipped: line.shipped,
      delivered: line.delivered,
      received: line.received,
      returnedResellable: line.returnedResellable,
      returnedDamaged: line.returnedDamaged,
      returnPending: line.returnPending,
      // `returned` is a purchase's units sent back to the supplier (a sale's customer returns are the two above).
      returnedToSupplier: sale ? 0 : line.returned,
    })),
    ownerId: view.ownerId,
    placedAt: view.placedAt,
    updatedAt: view.updatedAt,
    reservation: view.reservation,
    shortLines: view.shortLines,
    shipments: view.shipments,
    returns: view.returns,
    purchaseReturns: view.purchaseReturns,
    amendments: view.amendments,
    onHold: view.onHold,
    cancellation: view.cancellation,
    requirementVersion: view.requirementVersion,
  };
}

/** The payment state behind the view's money fields (the summary shows every field it reads). */
function paymentOf(view: OrderView | null, order: Order): Payment {
  const sale = order.kind === 'sale';
  const funds = view?.funds ?? null;
  return {
    orderId: order.orderId,
    currency: order.currency,
    paid: sale ? (view?.paid ?? 0) : 0,
    refunded: sale ? (view?.refunded ?? 0) : 0,
    // A document written before these lists has none: the group's version 3 rebuilds every document.
    payments: (view?.payments ?? []).map((line) => ({
      ...line,
      refunded: (view?.refunds ?? []).filter((refund) => refund.paymentId === line.paymentId).reduce((sum, refund) => sum + refund.amount, 0),
    })),
    refunds: view?.refunds ?? [],
    refundedAsCredit: (view?.refunds ?? []).filter((refund) => refund.method === 'store_credit').reduce((sum, refund) => sum + refund.amount, 0),
    deposits: sale ? 0 : (view?.paid ?? 0),
    committed: funds?.committed ?? 0,
    fundsReleased: funds?.released ?? 0,
    supplierRefundDue: funds?.supplierRefundDue ?? 0,
    supplierRefundReceived: sale ? 0 : (view?.refunded ?? 0),
    penalty: funds?.penalty ?? null,
  };
}

/** Per line, a stock position holding just this order's reservation: all the summary reads of a stock. */
function stocksOf(view: OrderView | null, order: Order): Record<string, StockPosition> {
  const stocks: Record<string, StockPosition> = {};
  for (const line of order.lines) {
    const reserved = view?.lines.find((candidate) => candidate.sku === line.sku)?.reserved ?? 0;
    const orders = reserved === 0 ? NO_ORDERS : setEntry(NO_ORDERS, order.orderId, { ...NO_ENTRY, reserved });
    stocks[line.sku] = { ...emptyStock, warehouseId: order.warehouseId, sku: line.sku, orders };
  }
  return stocks;
}
