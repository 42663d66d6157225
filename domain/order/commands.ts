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

/** HTTP (warehouse): the whole sale order leaves the warehouse. */
export interface ShipOrder {
  readonly type: 'ShipOrder';
  readonly orderId: string;
  readonly carrier?: string | null;
  readonly trackingNumber?: string | null;
}

/** HTTP (warehouse): the customer signed for it. */
export interface DeliverOrder {
  readonly type: 'DeliverOrder';
  readonly orderId: string;
}

/** HTTP (warehouse): goods of a purchase order arrived; `quantity` is what arrived now. */
export interface ReceiveGoods {
  readonly type: 'ReceiveGoods';
  readonly orderId: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
}

/** HTTP (clerk): ask for a cancellation, to be reviewed by someone else. */
export interface RequestCancellation {
  readonly type: 'RequestCancellation';
  readonly orderId: string;
  readonly reason: string;
  readonly initiatedBy: Initiator;
  readonly note?: string | null;
}

export interface Penalty {
  readonly amount: number;
  readonly payer: PenaltyPayer;
}

export interface GoodwillCoupon {
  readonly code: string;
  /** Minor units of the order's currency. */
  readonly amount: number;
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
  /** Customer-initiated cancellations only: a coupon offered to keep the customer. */
  readonly goodwillCoupon?: GoodwillCoupon | null;
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

/** HTTP (warehouse): goods of a `returning` order came back. */
export interface ReceiveReturn {
  readonly type: 'ReceiveReturn';
  readonly orderId: string;
  readonly lines: readonly { readonly sku: string; readonly quantity: number; readonly condition: ReturnCondition }[];
}

/** Process: the approved cancellation's stock and money steps are done. */
export interface CompleteCancellation {
  readonly type: 'CompleteCancellation';
  readonly orderId: string;
}

/** Process: the remainder of a partly received purchase order is cancelled. */
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
  | CompleteCancellation
  | CloseOrder;
