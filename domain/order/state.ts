import { type RefundMethod } from '../payment/commands.js';
import { type GoodwillCoupon, type Initiator, type OrderKind, type Penalty, type ShortLine } from './commands.js';
import { type CancellationOutcome } from './events.js';

/**
 * The fulfilment stage. Sale: placed -> processing -> shipped -> delivered (+ rejected, returning, cancelled).
 * Purchase: placed -> partially_received -> received (+ closed, cancelled).
 */
export type OrderStatus =
  | 'placed'
  | 'processing'
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
  readonly quantity: number;
  readonly unitPrice: number;
  /** Purchase: units received so far. */
  readonly received: number;
  /** Sale returns: units back in sellable condition (restocked). */
  readonly returnedResellable: number;
  /** Sale returns: units back damaged (kept out of stock). */
  readonly returnedDamaged: number;
}

/** The latest cancellation request and its decision; earlier ones live in the event history. */
export interface Cancellation {
  readonly state: CancellationState;
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
  readonly refundMethod: RefundMethod | null;
  readonly penalty: Penalty | null;
  readonly goodwillCoupon: GoodwillCoupon | null;
}

export interface Shipment {
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  readonly shippedAt: string;
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
  readonly shipment: Shipment | null;
  readonly cancellation: Cancellation | null;
}

/** No order before its `OrderPlaced`. */
export type OrderState = Order | null;

export const initialState: OrderState = null;

export const lineTotal = (line: { quantity: number; unitPrice: number }): number => line.quantity * line.unitPrice;

export const orderTotal = (order: Order): number => order.lines.reduce((sum, line) => sum + lineTotal(line), 0);

/** Purchase: the value of the goods received, at the order's prices. */
export const receivedValue = (order: Order): number => order.lines.reduce((sum, line) => sum + line.received * line.unitPrice, 0);

export const returnedQuantity = (line: OrderLine): number => line.returnedResellable + line.returnedDamaged;

/** Rejected, cancelled and closed orders refuse every command. */
export const isFinished = (order: Order): boolean => order.status === 'rejected' || order.status === 'cancelled' || order.status === 'closed';

/** A sale order whose goods left the warehouse (whole orders ship at once). */
export function hasShipped(order: Order): boolean {
  if (order.kind !== 'sale') return false;
  if (order.status === 'shipped' || order.status === 'delivered' || order.status === 'returning') return true;
  return order.status === 'cancelled' && order.cancellation?.outcome === 'return_and_refund';
}

export const shippedQuantity = (order: Order, line: OrderLine): number => (hasShipped(order) ? line.quantity : 0);

/** Every shipped unit of a `returning` order is back (resellable or damaged). */
export const isEverythingReturned = (order: Order): boolean => order.lines.every((line) => returnedQuantity(line) >= line.quantity);

export const lineOf = (order: Order, sku: string): OrderLine | undefined => order.lines.find((line) => line.sku === sku);
