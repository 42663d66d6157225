import { type Cancellation, type Order, orderTotal, type ReservationState, returnedQuantity, type Shipment, shippedQuantity } from '../order/state.js';
import { type ShortLine } from '../order/commands.js';
import { type Payment } from '../payment/state.js';
import { orderEntry } from '../stock/state.js';
import { type OrderProcessStates, stockOf } from './step.js';

export interface OrderSummaryLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** Units held in stock for the order now (stock position). */
  readonly reserved: number;
  readonly shipped: number;
  readonly received: number;
  /** Units back from the customer, resellable and damaged together. */
  readonly returned: number;
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
  readonly total: number;
  /** Sale: paid by the customer. Purchase: deposits paid to the supplier. */
  readonly paid: number;
  /** Sale: refunded to the customer. Purchase: refunds received from the supplier. */
  readonly refunded: number;
  readonly ownerId: string;
  readonly placedAt: string;
  readonly updatedAt: string;
  readonly cancellation: Cancellation | null;
  readonly reservation: ReservationState | null;
  readonly shortLines: readonly ShortLine[];
  readonly shipment: Shipment | null;
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
      shipped: shippedQuantity(order, line),
      received: line.received,
      returned: returnedQuantity(line),
      returnedResellable: line.returnedResellable,
      returnedDamaged: line.returnedDamaged,
    })),
    total: orderTotal(order),
    paid: isSale ? payment.paid : payment.deposits,
    refunded: isSale ? payment.refunded : payment.supplierRefundReceived,
    ownerId: order.ownerId,
    placedAt: order.placedAt,
    updatedAt: order.updatedAt,
    cancellation: order.cancellation,
    reservation: order.reservation,
    shortLines: order.shortLines,
    shipment: order.shipment,
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
