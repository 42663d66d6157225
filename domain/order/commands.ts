import { type PenaltyPayer, type RefundMethod } from '../payment/commands.js';

export type OrderKind = 'sale' | 'purchase';
export const ORDER_KINDS: readonly OrderKind[] = ['sale', 'purchase'];

/** Who asked for a cancellation (not the user who typed it in: that is `requestedBy`). */
export type Initiator = 'customer' | 'company' | 'supplier';
export const INITIATORS: readonly Initiator[] = ['customer', 'company', 'supplier'];

export type ReturnCondition = 'resellable' | 'damaged';
export const RETURN_CONDITIONS: readonly ReturnCondition[] = ['resellable', 'damaged'];

export interface OrderLineInput {
  readonly sku: string;
  readonly quantity: number;
  /** Minor units of the order's currency. */
  readonly unitPrice: number;
}

export interface ShortLine {
  readonly sku: string;
  readonly requested: number;
  readonly available: number;
}

/** HTTP (clerk, integration). The placing actor becomes the order's owner. */
export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly orderId: string;
  /** Business number shown to people; the order id when not given. */
  readonly number?: string | null;
  readonly kind: OrderKind;
  readonly partyId: string;
  readonly warehouseId: string;
  readonly currency: string;
  readonly lines: readonly OrderLineInput[];
}

/** Process (sale placement): every line is reserved. */
export interface ConfirmReservation {
  readonly type: 'ConfirmReservation';
  readonly orderId: string;
}

/** Process (sale placement): some line could not be reserved. */
export interface RejectOrder {
  readonly type: 'RejectOrder';
  readonly orderId: string;
  readonly shortLines: readonly ShortLine[];
}

/** HTTP (warehouse): 已处理未发货. */
export interface ProcessOrder {
  readonly type: 'ProcessOrder';
  readonly orderId: string;
}

export interface SkuQuantityInput {
  readonly sku: string;
  readonly quantity: number;
}

/** HTTP (warehouse): a shipment of the given quantities (absent: everything not yet shipped) leaves the warehouse. */
export interface ShipOrder {
  readonly type: 'ShipOrder';
  readonly orderId: string;
  readonly lines?: readonly SkuQuantityInput[] | null;
  readonly carrier?: string | null;
  readonly trackingNumber?: string | null;
}

/** HTTP (warehouse): the customer signed for one shipment (absent: every shipment not delivered yet). */
export interface DeliverOrder {
  readonly type: 'DeliverOrder';
  readonly orderId: string;
  readonly shipmentId?: string | null;
}

/** HTTP (warehouse): goods of a purchase order arrived; `quantity` is what arrived now. */
export interface ReceiveGoods {
  readonly type: 'ReceiveGoods';
  readonly orderId: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
}

/**
 * HTTP (clerk): ask for a cancellation, to be reviewed by someone else: of the given `lines`, of the
 * `remainder` (everything not shipped), or (neither) of the whole order.
 */
export interface RequestCancellation {
  readonly type: 'RequestCancellation';
  readonly orderId: string;
  readonly reason: string;
  readonly initiatedBy: Initiator;
  readonly note?: string | null;
  readonly lines?: readonly SkuQuantityInput[] | null;
  readonly scope?: 'remainder' | null;
}

export interface Penalty {
  readonly amount: number;
  readonly payer: PenaltyPayer;
}

/** A goodwill gesture with an approval: store credit for the customer (`code`: an optional label, e.g. a voucher code). */
export interface GoodwillCouponInput {
  /** Minor units of the order's currency. */
  readonly amount: number;
  /** ISO-8601; the credit is no longer spendable from then on. */
  readonly expiresAt?: string | null;
  readonly code?: string | null;
}

/** The goodwill gesture as the order records it; the order's process grants it as store credit (`source: goodwill`). */
export interface GoodwillCoupon {
  readonly code: string | null;
  /** Minor units of the order's currency. */
  readonly amount: number;
  readonly expiresAt: string | null;
}

/** HTTP (approver): the approver may not be the requester. */
export interface ApproveCancellation {
  readonly type: 'ApproveCancellation';
  readonly orderId: string;
  readonly note?: string | null;
  /** Sale orders: how the customer is refunded; `original` when not given. */
  readonly refundMethod?: RefundMethod | null;
  /** Purchase orders only: the penalty agreed with the supplier. */
  readonly penalty?: Penalty | null;
  /** Any cancellation: store credit offered to keep the customer (sale orders). */
  readonly goodwillCoupon?: GoodwillCouponInput | null;
}

/** HTTP (approver): a reason is required. */
export interface RejectCancellation {
  readonly type: 'RejectCancellation';
  readonly orderId: string;
  readonly reason: string;
}

/** HTTP: by the requester only. */
export interface WithdrawCancellation {
  readonly type: 'WithdrawCancellation';
  readonly orderId: string;
}

/** HTTP (warehouse): goods of an open return came back (`returnId` absent: the open returns, oldest first). */
export interface ReceiveReturn {
  readonly type: 'ReceiveReturn';
  readonly orderId: string;
  readonly returnId?: string | null;
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly condition: ReturnCondition }[];
}

/** HTTP (clerk): the customer sends delivered goods back without cancelling the order. */
export interface RequestReturn {
  readonly type: 'RequestReturn';
  readonly orderId: string;
  readonly lines: readonly SkuQuantityInput[];
  readonly reason: string;
}

/** HTTP (warehouse): stop waiting for goods of the open returns that will not come back. */
export interface CloseReturns {
  readonly type: 'CloseReturns';
  readonly orderId: string;
  readonly reason: string;
}

/** HTTP (approver, warehouse): block fulfilment, keep the reservations. */
export interface HoldOrder {
  readonly type: 'HoldOrder';
  readonly orderId: string;
  readonly reason: string;
}

export interface ReleaseHold {
  readonly type: 'ReleaseHold';
  readonly orderId: string;
  readonly note?: string | null;
}

/**
 * HTTP (the clerk who placed the order): the sale's lines become these (a line left out is quantity 0).
 * `unitPrice` absent: the line's price, or for a new sku the product's current price (filled in by the application).
 */
export interface AmendOrder {
  readonly type: 'AmendOrder';
  readonly orderId: string;
  readonly lines: readonly OrderLineInput[];
  readonly reason: string;
}

/** Process: every increase of the pending amendment is reserved. */
export interface ApplyAmendment {
  readonly type: 'ApplyAmendment';
  readonly orderId: string;
  readonly amendmentNo: number;
}

/** Process: some increase of the pending amendment could not be reserved. */
export interface RefuseAmendment {
  readonly type: 'RefuseAmendment';
  readonly orderId: string;
  readonly amendmentNo: number;
  readonly shortLines: readonly ShortLine[];
}

/** HTTP (warehouse): goods received on a purchase go back to the supplier. */
export interface ReturnToSupplier {
  readonly type: 'ReturnToSupplier';
  readonly orderId: string;
  readonly lines: readonly SkuQuantityInput[];
  readonly reason: string;
}

/** Process: the stock took the purchase return's goods out. */
export interface CompletePurchaseReturn {
  readonly type: 'CompletePurchaseReturn';
  readonly orderId: string;
  readonly returnId: string;
}

/** Process: not enough unreserved stock on hand for the purchase return. */
export interface RefusePurchaseReturn {
  readonly type: 'RefusePurchaseReturn';
  readonly orderId: string;
  readonly returnId: string;
  readonly shortLines: readonly ShortLine[];
  /** Units of the return that did go back before a line was found short (normally none). */
  readonly returnedLines: readonly SkuQuantityInput[];
}

/** Process: the approved cancellation's stock and money steps are done. */
export interface CompleteCancellation {
  readonly type: 'CompleteCancellation';
  readonly orderId: string;
}

/** Process: the order ends `closed` (purchase remainder cancelled; sale remainder cancelled and the rest delivered; returns closed). */
export interface CloseOrder {
  readonly type: 'CloseOrder';
  readonly orderId: string;
}

export type OrderCommand =
  | PlaceOrder
  | ConfirmReservation
  | RejectOrder
  | ProcessOrder
  | ShipOrder
  | DeliverOrder
  | ReceiveGoods
  | RequestCancellation
  | ApproveCancellation
  | RejectCancellation
  | WithdrawCancellation
  | ReceiveReturn
  | RequestReturn
  | CloseReturns
  | HoldOrder
  | ReleaseHold
  | AmendOrder
  | ApplyAmendment
  | RefuseAmendment
  | ReturnToSupplier
  | CompletePurchaseReturn
  | RefusePurchaseReturn
  | CompleteCancellation
  | CloseOrder;
