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

/** What a cancellation request covers: the whole order, the given `lines`, or the `remainder` (everything not shipped). */
export type CancellationScope = 'whole' | 'lines' | 'remainder';

export interface SkuQuantity {
  readonly sku: string;
  readonly quantity: number;
}

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
/** Schema v2: one shipment (`shipmentId`: S1, S2, ... per order) of the given quantities. v1 shipped everything (`lines: null`). */
export type OrderShipped = DomainEvent<'OrderShipped', OrderFact & {
  readonly shipmentId: string;
  readonly lines: readonly SkuQuantity[] | null;
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
}>;
/** Schema v2: these shipments were delivered. v1 delivered every shipment (`shipmentIds: null`). */
export type OrderDelivered = DomainEvent<'OrderDelivered', OrderFact & { readonly shipmentIds: readonly string[] | null }>;
/** Goods that arrived for a purchase order, this delivery only. */
export type GoodsReceived = DomainEvent<'GoodsReceived', OrderFact & {
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
}>;
/** Schema v2: `scope` and `lines` added (v1 requests were for the whole order). */
export type CancellationRequested = DomainEvent<'CancellationRequested', OrderFact & {
  readonly scope: CancellationScope;
  readonly lines: readonly SkuQuantity[];
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
  /**
   * Schema v2. Sale: the unshipped units cancelled now (released by the process) and the shipped units sent
   * through a return (`returnId`, whose `ReturnRequested` follows in the same append). v1 (`null`): evolve derives
   * them from the outcome (release_and_refund: every unshipped unit; return_and_refund: every shipped unit, return `R1`).
   */
  readonly cancelledLines: readonly SkuQuantity[] | null;
  readonly returnLines: readonly SkuQuantity[] | null;
  readonly returnId: string | null;
}>;
/**
 * A goodwill gesture with a cancellation's approval, granted as store credit by the order's process. v2: `code`
 * optional (null), `expiresAt`; v1 (customer-initiated only, a code always) reads with `expiresAt: null`.
 */
export type GoodwillCouponIssued = DomainEvent<'GoodwillCouponIssued', OrderFact & GoodwillCoupon & {
  readonly customerId: string;
  readonly currency: string;
}>;
export type CancellationRejected = DomainEvent<'CancellationRejected', OrderFact & {
  readonly rejectedBy: string;
  readonly reason: string;
}>;
export type CancellationWithdrawn = DomainEvent<'CancellationWithdrawn', OrderFact & { readonly withdrawnBy: string }>;
/** A return opened: by the customer after delivery (`origin: customer`), or by an approved cancellation of shipped units. */
export type ReturnRequested = DomainEvent<'ReturnRequested', OrderFact & {
  readonly returnId: string;
  readonly origin: 'customer' | 'cancellation';
  readonly lines: readonly SkuQuantity[];
  readonly reason: string;
  readonly requestedBy: string;
}>;
/** Schema v2: goods of an open return that came back, this delivery only (`returnId`; v1: the cancellation's return). */
export type ReturnReceived = DomainEvent<'ReturnReceived', OrderFact & {
  readonly returnId: string | null;
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly condition: ReturnCondition }[];
}>;
/** `/returns/close`: the open returns stop waiting; `lines` are the units that will not come back. */
export type ReturnsClosed = DomainEvent<'ReturnsClosed', OrderFact & {
  readonly returnIds: readonly string[];
  readonly lines: readonly SkuQuantity[];
  readonly reason: string;
  readonly closedBy: string;
}>;
export type OrderHeld = DomainEvent<'OrderHeld', OrderFact & { readonly reason: string; readonly heldBy: string }>;
export type HoldReleased = DomainEvent<'HoldReleased', OrderFact & { readonly note: string | null; readonly releasedBy: string }>;
/**
 * An amendment of a sale's lines with an increase: the process reserves it, then `OrderAmended` (applied) or
 * `AmendmentRefused` (a line short: nothing changes). Without an increase, `OrderAmended` comes alone.
 */
export type AmendmentRequested = DomainEvent<'AmendmentRequested', OrderFact & AmendmentFacts>;
export type OrderAmended = DomainEvent<'OrderAmended', OrderFact & AmendmentFacts>;
export type AmendmentRefused = DomainEvent<'AmendmentRefused', OrderFact & {
  readonly amendmentNo: number;
  readonly shortLines: readonly ShortLine[];
}>;
/** Goods received on a purchase going back to the supplier; the process takes them out of stock, or refuses. */
export type PurchaseReturnRequested = DomainEvent<'PurchaseReturnRequested', OrderFact & {
  readonly returnId: string;
  readonly lines: readonly SkuQuantity[];
  readonly reason: string;
  readonly requestedBy: string;
}>;
export type PurchaseReturnCompleted = DomainEvent<'PurchaseReturnCompleted', OrderFact & { readonly returnId: string }>;
/**
 * Not enough unreserved stock on hand: the return is refused. `returnedLines` are units that did go back before
 * a line was found short (empty unless the stock changed between the process's check and its steps).
 */
export type PurchaseReturnRefused = DomainEvent<'PurchaseReturnRefused', OrderFact & {
  readonly returnId: string;
  readonly shortLines: readonly ShortLine[];
  readonly returnedLines: readonly SkuQuantity[];
}>;
export type OrderCancelled = DomainEvent<'OrderCancelled', OrderFact>;
/** A partly received purchase order, or a sale whose remainder was cancelled or whose returns were closed: it ends. */
export type OrderClosed = DomainEvent<'OrderClosed', OrderFact>;

export interface AmendmentFacts {
  readonly amendmentNo: number;
  readonly reason: string;
  readonly amendedBy: string;
  readonly before: readonly OrderLineInput[];
  readonly after: readonly OrderLineInput[];
}

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
  | ReturnRequested
  | ReturnReceived
  | ReturnsClosed
  | OrderHeld
  | HoldReleased
  | AmendmentRequested
  | OrderAmended
  | AmendmentRefused
  | PurchaseReturnRequested
  | PurchaseReturnCompleted
  | PurchaseReturnRefused
  | OrderCancelled
  | OrderClosed;

export type OrderEventType = OrderEvent['type'];

export const ORDER_EVENT_SCHEMA_VERSIONS: Readonly<Record<OrderEventType, number>> = {
  OrderPlaced: 2,
  OrderReserved: 1,
  OrderRejected: 1,
  OrderProcessed: 1,
  OrderShipped: 2,
  OrderDelivered: 2,
  GoodsReceived: 1,
  CancellationRequested: 2,
  CancellationApproved: 2,
  GoodwillCouponIssued: 2,
  CancellationRejected: 1,
  CancellationWithdrawn: 1,
  ReturnRequested: 1,
  ReturnReceived: 2,
  ReturnsClosed: 1,
  OrderHeld: 1,
  HoldReleased: 1,
  AmendmentRequested: 1,
  OrderAmended: 1,
  AmendmentRefused: 1,
  PurchaseReturnRequested: 1,
  PurchaseReturnCompleted: 1,
  PurchaseReturnRefused: 1,
  OrderCancelled: 1,
  OrderClosed: 1,
};
