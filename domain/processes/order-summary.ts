import { type Amendment, type Cancellation, type Hold, type Order, type OrderReturn, type PurchaseReturn, type ReservationState, returnedQuantity, type Shipment } from '../order/state.js';
import { type ShortLine } from '../order/commands.js';
import { type Payment, type PaymentEntry, type RefundEntry } from '../payment/state.js';
import { orderEntry } from '../stock/state.js';
import { type OrderProcessStates, stockOf } from './step.js';

export interface OrderSummaryLine {
  readonly sku: string;
  /** Ordered: as placed and amended (cancelled and shipped units included). */
  readonly quantity: number;
  readonly unitPrice: number;
  /** Units held in stock for the order now (stock position). */
  readonly reserved: number;
  /** Sale: unshipped units cancelled by approved cancellations. */
  readonly cancelled: number;
  readonly shipped: number;
  readonly delivered: number;
  readonly received: number;
  /** Units back: sale, from the customer (resellable and damaged together); purchase, sent back to the supplier. */
  readonly returned: number;
  /** Sale: units of open returns not back yet. */
  readonly returnPending: number;
  readonly returnedResellable: number;
  readonly returnedDamaged: number;
}

/** Purchase money beyond paid/refunded: frozen funds, their release, supplier refunds, the penalty. */
export interface PurchaseFunds {
  readonly committed: number;
  readonly released: number;
  readonly supplierRefundDue: number;
  readonly supplierRefundReceived: number;
  readonly penalty: Payment['penalty'];
}

/** A customer payment as the order view lists it. */
export type OrderPaymentLine = Omit<PaymentEntry, 'refunded'>;
/** A refund as the order view lists it. */
export type OrderRefundLine = RefundEntry;

/** API.md's order view without `revision` and `position` (the application adds those), plus a few extra fields. */
export interface OrderSummary {
  readonly orderId: string;
  readonly number: string;
  readonly kind: Order['kind'];
  readonly status: Order['status'];
  readonly partyId: string;
  readonly warehouseId: string;
  readonly currency: string;
  readonly lines: readonly OrderSummaryLine[];
  /** The value as placed and amended (cancelled and returned units included). */
  readonly total: number;
  /** Sale: paid by the customer. Purchase: deposits paid to the supplier. */
  readonly paid: number;
  /** Sale: refunded to the customer. Purchase: refunds received from the supplier. */
  readonly refunded: number;
  /** Purchase: what the supplier owes back (deposits after a cancellation, returned goods); null for a sale. */
  readonly supplierRefundDue: number | null;
  /** Sale: each customer payment (`paymentId` `P<n>`), oldest first; empty for a purchase. */
  readonly payments: readonly OrderPaymentLine[];
  /** Sale: each refund by its concrete route and the payment it reversed, oldest first; empty for a purchase. */
  readonly refunds: readonly OrderRefundLine[];
  readonly ownerId: string;
  readonly placedAt: string;
  readonly updatedAt: string;
  readonly cancellation: Cancellation | null;
  readonly reservation: ReservationState | null;
  readonly shortLines: readonly ShortLine[];
  /** The latest shipment (kept for clients of the whole-order API); every one is in `shipments`. */
  readonly shipment: Shipment | null;
  readonly shipments: readonly Shipment[];
  readonly returns: readonly OrderReturn[];
  readonly purchaseReturns: readonly PurchaseReturn[];
  readonly onHold: Hold | null;
  readonly amendments: readonly Amendment[];
  readonly requirementVersion: number;
  readonly funds: PurchaseFunds | null;
}

/** The order as the write side sees it: order facts, stock reservations and money together. */
export function orderSummary(order: Order, payment: Payment, stocks: OrderProcessStates['stocks']): OrderSummary {
  const states: OrderProcessStates = { order, payment, stocks };
  const isSale = order.kind === 'sale';
  return {
    orderId: order.orderId,
    number: order.number,
    kind: order.kind,
    status: order.status,
    partyId: order.partyId,
    warehouseId: order.warehouseId,
    currency: order.currency,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      reserved: orderEntry(stockOf(states, line.sku), order.orderId).reserved,
      cancelled: line.cancelled,
      shipped: line.shipped,
      delivered: line.delivered,
      received: line.received,
      returned: isSale ? returnedQuantity(line) : line.returnedToSupplier,
      returnPending: line.returnPending,
      returnedResellable: line.returnedResellable,
      returnedDamaged: line.returnedDamaged,
    })),
    total: order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
    paid: isSale ? payment.paid : payment.deposits,
    refunded: isSale ? payment.refunded : payment.supplierRefundReceived,
    supplierRefundDue: isSale ? null : payment.supplierRefundDue,
    payments: payment.payments.map(({ paymentId, method, amount, at }) => ({ paymentId, method, amount, at })),
    refunds: payment.refunds,
    ownerId: order.ownerId,
    placedAt: order.placedAt,
    updatedAt: order.updatedAt,
    cancellation: order.cancellation,
    reservation: order.reservation,
    shortLines: order.shortLines,
    shipment: order.shipments.at(-1) ?? null,
    shipments: order.shipments,
    returns: order.returns,
    purchaseReturns: order.purchaseReturns,
    onHold: order.onHold,
    amendments: order.amendments,
    requirementVersion: order.requirementVersion,
    funds: isSale
      ? null
      : {
        committed: payment.committed,
        released: payment.fundsReleased,
        supplierRefundDue: payment.supplierRefundDue,
        supplierRefundReceived: payment.supplierRefundReceived,
        penalty: payment.penalty,
      },
  };
}
