import { type DomainEvent } from '../shared/event.js';
import { type RefundMethod } from '../payment/commands.js';
import {
  type GoodwillCoupon,
  type Initiator,
  type OrderKind,
  type OrderLineInput,
  type Penalty,
  type ReturnCondition,
  type ShortLine,
} from './commands.js';

/**
 * What an approved cancellation does, decided from the order's stage at approval:
 * `release_and_refund` (sale not shipped), `return_and_refund` (sale shipped: status `returning`),
 * `cancel_purchase` (nothing received), `close_remainder` (partly received: status `closed`).
 */
export type CancellationOutcome = 'release_and_refund' | 'return_and_refund' | 'cancel_purchase' | 'close_remainder';

/** Every order event says when it happened (`at`, ISO-8601 UTC): the fold keeps `updatedAt` from it. */
interface OrderFact {
  readonly orderId: string;
  readonly at: string;
}

/** Schema v2: `currency` added (v1 orders were all in CNY; see upcast.ts). */
export type OrderPlaced = DomainEvent<'OrderPlaced', OrderFact & {
  readonly number: string;
  readonly kind: OrderKind;
  readonly partyId: string;
  readonly warehouseId: string;
  readonly currency: string;
  readonly lines: readonly OrderLineInput[];
  readonly ownerId: string;
}>;
/** Sale placement: every line is reserved. */
export type OrderReserved = DomainEvent<'OrderReserved', OrderFact>;
/** Sale placement failed: these lines were short. */
export type OrderRejected = DomainEvent<'OrderRejected', OrderFact & { readonly shortLines: readonly ShortLine[] }>;
export type OrderProcessed = DomainEvent<'OrderProcessed', OrderFact>;
export type OrderShipped = DomainEvent<'OrderShipped', OrderFact & {
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
}>;
export type OrderDelivered = DomainEvent<'OrderDelivered', OrderFact>;
/** Goods that arrived for a purchase order, this delivery only. */
export type GoodsReceived = DomainEvent<'GoodsReceived', OrderFact & {
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
}>;
export type CancellationRequested = DomainEvent<'CancellationRequested', OrderFact & {
  readonly reason: string;
  readonly initiatedBy: Initiator;
  readonly requestedBy: string;
  readonly note: string | null;
}>;
export type CancellationApproved = DomainEvent<'CancellationApproved', OrderFact & {
  readonly approvedBy: string;
  readonly note: string | null;
  readonly outcome: CancellationOutcome;
  /** Sale orders: how the refund is paid; null for purchases. */
  readonly refundMethod: RefundMethod | null;
  /** Purchase orders: the agreed penalty, if any. */
  readonly penalty: Penalty | null;
}>;
/** For the CRM view: a coupon offered with the approval of a customer's cancellation. */
export type GoodwillCouponIssued = DomainEvent<'GoodwillCouponIssued', OrderFact & GoodwillCoupon & {
  readonly customerId: string;
  readonly currency: string;
}>;
export type CancellationRejected = DomainEvent<'CancellationRejected', OrderFact & {
  readonly rejectedBy: string;
  readonly reason: string;
}>;
export type CancellationWithdrawn = DomainEvent<'CancellationWithdrawn', OrderFact & { readonly withdrawnBy: string }>;
/** Goods of a `returning` order that came back, this delivery only. */
export type ReturnReceived = DomainEvent<'ReturnReceived', OrderFact & {
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly condition: ReturnCondition }[];
}>;
export type OrderCancelled = DomainEvent<'OrderCancelled', OrderFact>;
/** A partly received purchase order: the remainder is cancelled, what arrived stays. */
export type OrderClosed = DomainEvent<'OrderClosed', OrderFact>;

export type OrderEvent =
  | OrderPlaced
  | OrderReserved
  | OrderRejected
  | OrderProcessed
  | OrderShipped
  | OrderDelivered
  | GoodsReceived
  | CancellationRequested
  | CancellationApproved
  | GoodwillCouponIssued
  | CancellationRejected
  | CancellationWithdrawn
  | ReturnReceived
  | OrderCancelled
  | OrderClosed;

export type OrderEventType = OrderEvent['type'];

export const ORDER_EVENT_SCHEMA_VERSIONS: Readonly<Record<OrderEventType, number>> = {
  OrderPlaced: 2,
  OrderReserved: 1,
  OrderRejected: 1,
  OrderProcessed: 1,
  OrderShipped: 1,
  OrderDelivered: 1,
  GoodsReceived: 1,
  CancellationRequested: 1,
  CancellationApproved: 1,
  GoodwillCouponIssued: 1,
  CancellationRejected: 1,
  CancellationWithdrawn: 1,
  ReturnReceived: 1,
  OrderCancelled: 1,
  OrderClosed: 1,
};
