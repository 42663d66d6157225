import { type RefundMethod } from '../payment/commands.js';
import { type GoodwillCoupon, type Initiator, type OrderKind, type Penalty, type ShortLine } from './commands.js';
import { type CancellationOutcome, type CancellationScope, type SkuQuantity } from './events.js';

/**
 * The fulfilment stage. Sale: placed -> processing -> partially_shipped -> shipped -> delivered
 * (+ rejected, returning, cancelled, closed). Purchase: placed -> partially_received -> received (+ closed, cancelled).
 * A sale's stage follows its lines (fulfilmentStatus); rejected, returning, cancelled and closed are set by their events.
 */
export type OrderStatus =
  | 'placed'
  | 'processing'
  | 'partially_shipped'
  | 'shipped'
  | 'delivered'
  | 'rejected'
  | 'returning'
  | 'partially_received'
  | 'received'
  | 'closed'
  | 'cancelled';

/** Sale placement: `pending` until every line is reserved (`complete`) or one is short (`failed`). */
export type ReservationState = 'pending' | 'complete' | 'failed';

export type CancellationState = 'requested' | 'approved' | 'rejected' | 'withdrawn';

export interface OrderLine {
  readonly sku: string;
  /** Ordered: the placed quantity as amended since (cancelled and shipped units included). */
  readonly quantity: number;
  readonly unitPrice: number;
  /** Sale: unshipped units cancelled by approved cancellations (released, never shipped). */
  readonly cancelled: number;
  /** Sale: units that left the warehouse, over every shipment. */
  readonly shipped: number;
  /** Sale: units of delivered shipments. */
  readonly delivered: number;
  /** Purchase: units received so far. */
  readonly received: number;
  /** Sale returns: units back in sellable condition (restocked). */
  readonly returnedResellable: number;
  /** Sale returns: units back damaged (kept out of stock). */
  readonly returnedDamaged: number;
  /** Sale: units of open returns not back yet (customer returns and shipped units of approved cancellations). */
  readonly returnPending: number;
  /** Purchase: units sent back to the supplier (purchase returns). */
  readonly returnedToSupplier: number;
}

/** The latest cancellation request and its decision; earlier ones live in the event history. */
export interface Cancellation {
  readonly state: CancellationState;
  /** `whole` (no lines, no scope), `lines` (the given quantities) or `remainder` (everything not shipped). */
  readonly scope: CancellationScope;
  /** The quantities asked for when `scope` is `lines`; empty otherwise. */
  readonly lines: readonly SkuQuantity[];
  readonly reason: string;
  readonly initiatedBy: Initiator;
  readonly note: string | null;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** Approval note, or the rejection reason. */
  readonly decisionNote: string | null;
  readonly outcome: CancellationOutcome | null;
  /** On approval: unshipped units cancelled (released), per sku. */
  readonly cancelledLines: readonly SkuQuantity[];
  /** On approval: shipped units sent through a return (`returnId`), per sku. */
  readonly returnLines: readonly SkuQuantity[];
  readonly returnId: string | null;
  readonly refundMethod: RefundMethod | null;
  readonly penalty: Penalty | null;
  readonly goodwillCoupon: GoodwillCoupon | null;
}

export interface Shipment {
  readonly shipmentId: string;
  readonly lines: readonly SkuQuantity[];
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  readonly shippedAt: string;
  readonly deliveredAt: string | null;
}

export interface ReturnLine {
  readonly sku: string;
  /** Units this return expects back. */
  readonly quantity: number;
  readonly receivedResellable: number;
  readonly receivedDamaged: number;
}

/** A customer return (`origin: customer`) or the shipped part of an approved cancellation (`origin: cancellation`). */
export interface OrderReturn {
  readonly returnId: string;
  readonly origin: 'customer' | 'cancellation';
  readonly lines: readonly ReturnLine[];
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** Set by `/returns/close`: what had not come back by then is no longer expected. */
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly closeReason: string | null;
}

/** Goods of a received purchase sent back to the supplier. */
export interface PurchaseReturn {
  readonly returnId: string;
  readonly lines: readonly SkuQuantity[];
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** `pending` until the stock took the goods out, `done`, or `refused` (not enough unreserved on hand). */
  readonly state: 'pending' | 'done' | 'refused';
  readonly shortLines: readonly ShortLine[];
  /** What went back: every line when done; normally nothing when refused. */
  readonly returnedLines: readonly SkuQuantity[];
}

export interface AmendmentLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** One amendment of a sale's lines: who, why, before and after. */
export interface Amendment {
  /** 1, 2, ... per order. */
  readonly amendmentNo: number;
  readonly reason: string;
  readonly amendedBy: string;
  readonly at: string;
  readonly before: readonly AmendmentLine[];
  readonly after: readonly AmendmentLine[];
  /** `pending` while an increase is being reserved, then `applied`, or `refused` (a line was short: nothing changed). */
  readonly state: 'pending' | 'applied' | 'refused';
  readonly shortLines: readonly ShortLine[];
}

export interface Hold {
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface Order {
  readonly orderId: string;
  readonly number: string;
  readonly kind: OrderKind;
  readonly status: OrderStatus;
  readonly partyId: string;
  readonly warehouseId: string;
  readonly currency: string;
  readonly lines: readonly OrderLine[];
  readonly ownerId: string;
  readonly placedAt: string;
  readonly updatedAt: string;
  /** Sale orders only; null for purchases. */
  readonly reservation: ReservationState | null;
  /** Why a sale placement was rejected. */
  readonly shortLines: readonly ShortLine[];
  /** Every shipment, oldest first. */
  readonly shipments: readonly Shipment[];
  readonly returns: readonly OrderReturn[];
  readonly purchaseReturns: readonly PurchaseReturn[];
  readonly amendments: readonly Amendment[];
  readonly onHold: Hold | null;
  readonly cancellation: Cancellation | null;
  /**
   * Grows by one each time what the order needs held in stock may have changed (placement, rejection, an
   * amendment requested, applied or refused, a cancellation approved). The reservation step carries it, so
   * a step computed from an older order state never undoes a newer one (domain/processes/sale-reservation.ts).
   */
  readonly requirementVersion: number;
}

/** No order before its `OrderPlaced`. */
export type OrderState = Order | null;

export const initialState: OrderState = null;

export const lineTotal = (line: { quantity: number; unitPrice: number }): number => line.quantity * line.unitPrice;

/** The order's value as placed and amended (cancelled and returned units included). */
export const orderTotal = (order: Order): number => order.lines.reduce((sum, line) => sum + lineTotal(line), 0);

export const returnedQuantity = (line: OrderLine): number => line.returnedResellable + line.returnedDamaged;

/** Sale: units still to be shipped (ordered, not cancelled, not shipped). */
export const unshippedQuantity = (line: OrderLine): number => line.quantity - line.cancelled - line.shipped;

/**
 * What the customer owes for a sale: every unit neither cancelled nor returned, at its line price.
 * Purchase: the value of the goods kept (received minus returned to the supplier), used for money after a cancellation.
 */
export function amountDue(order: Order): number {
  if (order.kind === 'purchase') return receivedValue(order);
  return order.lines.reduce((sum, line) => sum + (line.quantity - line.cancelled - returnedQuantity(line)) * line.unitPrice, 0);
}

/** Purchase: the value of the goods received, at the order's prices. */
export const receivedValue = (order: Order): number => order.lines.reduce((sum, line) => sum + line.received * line.unitPrice, 0);

/** Purchase: the value of the goods sent back to the supplier, at the order's prices. */
export const returnedToSupplierValue = (order: Order): number =>
  order.lines.reduce((sum, line) => sum + line.returnedToSupplier * line.unitPrice, 0);

/** Rejected, cancelled and closed orders refuse every command. */
export const isFinished = (order: Order): boolean => order.status === 'rejected' || order.status === 'cancelled' || order.status === 'closed';

/** The amendment being reserved, if any. */
export const pendingAmendment = (order: Order): Amendment | null => order.amendments.find((amendment) => amendment.state === 'pending') ?? null;

/** A whole-order cancellation was approved (the order is ending), as opposed to a partial one (the order goes on). */
export const isWholeCancellationApproved = (order: Order): boolean =>
  order.cancellation?.state === 'approved' && order.cancellation.scope === 'whole';

/**
 * Sale: the units the order needs from its stock position in all (held now or shipped). Placed: every line;
 * rejected: none; a pending amendment: the larger of before and after until it is applied or refused.
 */
export function requiredQuantity(order: Order, line: OrderLine): number {
  if (order.kind !== 'sale' || order.reservation === 'failed') return 0;
  const pending = pendingAmendment(order)?.after.find((after) => after.sku === line.sku)?.quantity ?? 0;
  return Math.max(line.quantity, pending) - line.cancelled;
}

/** Units of open returns per line (what `/returns/receive` may still take). */
export const openReturns = (order: Order): readonly OrderReturn[] => order.returns.filter((entry) => entry.closedAt === null);

export const lineOf = (order: Order, sku: string): OrderLine | undefined => order.lines.find((line) => line.sku === sku);
