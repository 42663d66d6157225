// The shapes of the API answers the console reads (the OpenAPI document at /api/docs-json is the reference;
// only the fields the console uses are named here).

export type Role = 'admin' | 'clerk' | 'warehouse' | 'approver' | 'finance' | 'auditor' | 'analyst' | 'integration';

/** `GET /api/me`. */
export interface Me {
  readonly userId: string;
  readonly roles: readonly Role[];
}

export type OrderKind = 'sale' | 'purchase';
export type OrderStatus =
  | 'placed' | 'processing' | 'partially_shipped' | 'shipped' | 'delivered' | 'rejected' | 'returning'
  | 'partially_received' | 'received' | 'closed' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'placed', 'processing', 'partially_shipped', 'shipped', 'delivered', 'rejected', 'returning', 'partially_received', 'received', 'closed', 'cancelled',
];
export type CancellationState = 'requested' | 'approved' | 'rejected' | 'withdrawn';
export type Initiator = 'customer' | 'company' | 'supplier';
export type RefundMethod = 'original' | 'cash' | 'store_credit';

export interface SkuQuantity {
  readonly sku: string;
  readonly quantity: number;
}

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly reserved: number;
  readonly cancelled: number;
  readonly shipped: number;
  readonly delivered: number;
  readonly received: number;
  readonly returned: number;
  readonly returnPending: number;
}

export interface Cancellation {
  readonly state: CancellationState;
  readonly scope: 'whole' | 'lines' | 'remainder';
  readonly lines: SkuQuantity[];
  readonly reason: string;
  readonly initiatedBy: Initiator;
  readonly note: string | null;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionNote: string | null;
  readonly outcome: string | null;
  readonly refundMethod: RefundMethod | null;
}

export interface Shipment {
  readonly shipmentId: string;
  readonly lines: SkuQuantity[];
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  readonly shippedAt: string;
  readonly deliveredAt: string | null;
}

export interface OrderReturn {
  readonly returnId: string;
  readonly origin: 'customer' | 'cancellation';
  readonly lines: { sku: string; quantity: number; receivedResellable: number; receivedDamaged: number }[];
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly closedAt: string | null;
}

/** One payment of an order (the order view's `payments`, API.md "Money"). */
export interface Payment {
  readonly paymentId: string;
  /** The route the money came by: cash, alipay, wechat, bank_transfer, card, store_credit, … */
  readonly method: string;
  readonly amount: number;
  readonly at: string;
}

/** One refund of an order: the concrete route and the payment it reverses (null: cash or store credit chosen). */
export interface Refund {
  readonly method: string;
  readonly amount: number;
  readonly paymentId: string | null;
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
  readonly lines: OrderLine[];
  readonly total: number;
  readonly paid: number;
  readonly refunded: number;
  readonly supplierRefundDue: number | null;
  readonly ownerId: string;
  readonly placedAt: string;
  readonly updatedAt: string;
  readonly cancellation: Cancellation | null;
  readonly shipments: Shipment[];
  readonly returns: OrderReturn[];
  readonly onHold: { reason: string; by: string; at: string } | null;
  readonly revision: number;
  readonly position: string | null;
  /** The order view's payments and refunds (absent from a command's answer and from views built before them). */
  readonly payments?: Payment[];
  readonly refunds?: Refund[];
}
