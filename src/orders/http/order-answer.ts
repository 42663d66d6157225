import { ApiProperty } from '@nestjs/swagger';

import { type OrderSummary } from '../../../domain/index.js';
import { type GoodwillCoupon, INITIATORS, type Initiator, ORDER_KINDS, type OrderKind, type Penalty, type ShortLine } from '../../../domain/order/commands.js';
import { type CancellationOutcome, type CancellationScope, type SkuQuantity } from '../../../domain/order/events.js';
import {
  type Amendment,
  type AmendmentLine,
  type Cancellation,
  type CancellationState,
  type Hold,
  type OrderReturn,
  type OrderStatus,
  type PurchaseReturn,
  type ReservationState,
  type ReturnLine,
  type Shipment,
} from '../../../domain/order/state.js';
import { PENALTY_PAYERS, type PenaltyPayer, REFUND_METHODS, type RefundMethod } from '../../../domain/payment/commands.js';
import { type OrderPaymentLine, type OrderRefundLine, type OrderSummaryLine, type PurchaseFunds } from '../../../domain/processes/order-summary.js';
import { everyValue, type Expect, type Same } from '../../platform/http/openapi.js';

/** API.md's order view as the write side sees it, with the order stream's revision and the log position. */
export type OrderResult = OrderSummary & { readonly revision: number; readonly position: string | null };

const ORDER_STATUS_VALUES = everyValue<OrderStatus>()(
  'placed', 'processing', 'partially_shipped', 'shipped', 'delivered', 'rejected', 'returning', 'partially_received', 'received', 'closed', 'cancelled',
);
const CANCELLATION_STATES = everyValue<CancellationState>()('requested', 'approved', 'rejected', 'withdrawn');
const CANCELLATION_OUTCOMES = everyValue<CancellationOutcome>()('release_and_refund', 'return_and_refund', 'cancel_purchase', 'close_remainder');
const CANCELLATION_SCOPES = everyValue<CancellationScope>()('whole', 'lines', 'remainder');
const RESERVATION_STATES = everyValue<ReservationState>()('pending', 'complete', 'failed');
const RETURN_ORIGINS = everyValue<OrderReturn['origin']>()('customer', 'cancellation');
const PURCHASE_RETURN_STATES = everyValue<PurchaseReturn['state']>()('pending', 'done', 'refused');
const AMENDMENT_STATES = everyValue<Amendment['state']>()('pending', 'applied', 'refused');

// Each class below is the OpenAPI schema of a domain type; the `Expect<Same<...>>` line under it fails to
// compile when the two differ (a field added, dropped, or made nullable or optional on one side only).

export class OrderLineView {
  @ApiProperty({ example: 'TEA-LONGJING-250G' }) sku!: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity!: number;
  @ApiProperty({ type: 'integer', example: 12800, description: 'minor units' }) unitPrice!: number;
  @ApiProperty({ type: 'integer', description: 'units held in stock for the order now' }) reserved!: number;
  @ApiProperty({ type: 'integer', description: 'sale: unshipped units cancelled by approved cancellations (released)' }) cancelled!: number;
  @ApiProperty({ type: 'integer', description: 'sale: units that left the warehouse, over every shipment' }) shipped!: number;
  @ApiProperty({ type: 'integer', description: 'sale: units of delivered shipments' }) delivered!: number;
  @ApiProperty({ type: 'integer', description: 'purchase: units received so far' }) received!: number;
  @ApiProperty({ type: 'integer', description: 'sale: units back from the customer (resellable and damaged together); purchase: units sent back to the supplier' })
  returned!: number;
  @ApiProperty({ type: 'integer', description: 'sale: units of open returns not back yet' }) returnPending!: number;
  @ApiProperty({ type: 'integer' }) returnedResellable!: number;
  @ApiProperty({ type: 'integer' }) returnedDamaged!: number;
}
type _OrderLineView = Expect<Same<OrderLineView, OrderSummaryLine>>;

export class PenaltyView {
  @ApiProperty({ type: 'integer', description: 'minor units' }) amount!: number;
  @ApiProperty({ enum: PENALTY_PAYERS }) payer!: PenaltyPayer;
}
type _PenaltyView = Expect<Same<PenaltyView, Penalty>>;

export class GoodwillCouponView {
  @ApiProperty({ type: String, nullable: true, description: 'an optional label (voucher code)' }) code!: string | null;
  @ApiProperty({ type: 'integer', description: 'minor units, granted as store credit' }) amount!: number;
  @ApiProperty({ type: String, nullable: true, description: 'the credit is no longer spendable from then on; null: never expires' }) expiresAt!: string | null;
}
type _GoodwillCouponView = Expect<Same<GoodwillCouponView, GoodwillCoupon>>;

export class SkuQuantityView {
  @ApiProperty({ example: 'TEA-LONGJING-250G' }) sku!: string;
  @ApiProperty({ type: 'integer', example: 1 }) quantity!: number;
}
type _SkuQuantityView = Expect<Same<SkuQuantityView, SkuQuantity>>;

/** The latest cancellation request and its decision. */
export class CancellationView {
  @ApiProperty({ enum: CANCELLATION_STATES }) state!: CancellationState;
  @ApiProperty({ enum: CANCELLATION_SCOPES, description: '`whole` (neither lines nor scope asked), `lines` (the given quantities), `remainder` (everything not shipped)' })
  scope!: CancellationScope;
  @ApiProperty({ type: [SkuQuantityView], description: 'the quantities asked for when scope is `lines`; empty otherwise' }) lines!: SkuQuantityView[];
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: INITIATORS }) initiatedBy!: Initiator;
  @ApiProperty({ type: String, nullable: true, description: 'the requester\'s note' }) note!: string | null;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'approval note, or the rejection reason' }) decisionNote!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: CANCELLATION_OUTCOMES }) outcome!: CancellationOutcome | null;
  @ApiProperty({ type: [SkuQuantityView], description: 'on approval: unshipped units cancelled (released)' }) cancelledLines!: SkuQuantityView[];
  @ApiProperty({ type: [SkuQuantityView], description: 'on approval: shipped units sent through a return (`returnId`)' }) returnLines!: SkuQuantityView[];
  @ApiProperty({ type: String, nullable: true, description: 'the return the approval opened for shipped units' }) returnId!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: REFUND_METHODS, description: 'sale: how money goes back' }) refundMethod!: RefundMethod | null;
  @ApiProperty({ type: PenaltyView, nullable: true, description: 'purchase: the penalty agreed with the supplier' }) penalty!: PenaltyView | null;
  @ApiProperty({ type: GoodwillCouponView, nullable: true }) goodwillCoupon!: GoodwillCouponView | null;
}
type _CancellationView = Expect<Same<CancellationView, Cancellation>>;

export class ShortLineView {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: 'integer' }) requested!: number;
  @ApiProperty({ type: 'integer' }) available!: number;
}
type _ShortLineView = Expect<Same<ShortLineView, ShortLine>>;

export class ShipmentView {
  @ApiProperty({ example: 'S1', description: 'S1, S2, ... per order' }) shipmentId!: string;
  @ApiProperty({ type: [SkuQuantityView] }) lines!: SkuQuantityView[];
  @ApiProperty({ type: String, nullable: true }) carrier!: string | null;
  @ApiProperty({ type: String, nullable: true }) trackingNumber!: string | null;
  @ApiProperty() shippedAt!: string;
  @ApiProperty({ type: String, nullable: true }) deliveredAt!: string | null;
}
type _ShipmentView = Expect<Same<ShipmentView, Shipment>>;

export class ReturnLineView {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: 'integer', description: 'units this return expects back' }) quantity!: number;
  @ApiProperty({ type: 'integer' }) receivedResellable!: number;
  @ApiProperty({ type: 'integer' }) receivedDamaged!: number;
}
type _ReturnLineView = Expect<Same<ReturnLineView, ReturnLine>>;

/** A customer return, or the shipped part of an approved cancellation. */
export class ReturnView {
  @ApiProperty({ example: 'R1', description: 'R1, R2, ... per order' }) returnId!: string;
  @ApiProperty({ enum: RETURN_ORIGINS }) origin!: OrderReturn['origin'];
  @ApiProperty({ type: [ReturnLineView] }) lines!: ReturnLineView[];
  @ApiProperty() reason!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'set by /returns/close: what had not come back is no longer expected' }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) closeReason!: string | null;
}
type _ReturnView = Expect<Same<ReturnView, OrderReturn>>;

/** Goods of a received purchase sent back to the supplier. */
export class PurchaseReturnView {
  @ApiProperty({ example: 'PR1', description: 'PR1, PR2, ... per order' }) returnId!: string;
  @ApiProperty({ type: [SkuQuantityView] }) lines!: SkuQuantityView[];
  @ApiProperty() reason!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ enum: PURCHASE_RETURN_STATES, description: '`pending` until the stock took the goods out, then `done`, or `refused` (not enough unreserved on hand)' })
  state!: PurchaseReturn['state'];
  @ApiProperty({ type: [ShortLineView] }) shortLines!: ShortLineView[];
  @ApiProperty({ type: [SkuQuantityView], description: 'what went back' }) returnedLines!: SkuQuantityView[];
}
type _PurchaseReturnView = Expect<Same<PurchaseReturnView, PurchaseReturn>>;

export class AmendmentLineView {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer', description: 'minor units' }) unitPrice!: number;
}
type _AmendmentLineView = Expect<Same<AmendmentLineView, AmendmentLine>>;

/** One amendment of a sale's lines: who, why, before and after. */
export class AmendmentView {
  @ApiProperty({ type: 'integer', example: 1, description: '1, 2, ... per order' }) amendmentNo!: number;
  @ApiProperty() reason!: string;
  @ApiProperty() amendedBy!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: [AmendmentLineView] }) before!: AmendmentLineView[];
  @ApiProperty({ type: [AmendmentLineView] }) after!: AmendmentLineView[];
  @ApiProperty({ enum: AMENDMENT_STATES, description: '`pending` while an increase is being reserved, then `applied`, or `refused` (a line was short: nothing changed)' })
  state!: Amendment['state'];
  @ApiProperty({ type: [ShortLineView] }) shortLines!: ShortLineView[];
}
type _AmendmentView = Expect<Same<AmendmentView, Amendment>>;

export class HoldView {
  @ApiProperty() reason!: string;
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
}
type _HoldView = Expect<Same<HoldView, Hold>>;

/** Purchase money beyond paid/refunded. */
export class PurchaseFundsView {
  @ApiProperty({ type: 'integer', description: 'frozen for the order at placement' }) committed!: number;
  @ApiProperty({ type: 'integer' }) released!: number;
  @ApiProperty({ type: 'integer' }) supplierRefundDue!: number;
  @ApiProperty({ type: 'integer' }) supplierRefundReceived!: number;
  @ApiProperty({ type: PenaltyView, nullable: true }) penalty!: PenaltyView | null;
}
type _PurchaseFundsView = Expect<Same<PurchaseFundsView, PurchaseFunds>>;

/** A customer payment of a sale. */
export class OrderPaymentView {
  @ApiProperty({ example: 'P1', description: '`P<n>`: the n-th payment of the order' }) paymentId!: string;
  @ApiProperty({ example: 'alipay' }) method!: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) amount!: number;
  @ApiProperty({ type: String, nullable: true, description: 'when it was received; null for payments recorded before this field existed' }) at!: string | null;
}
type _OrderPaymentView = Expect<Same<OrderPaymentView, OrderPaymentLine>>;

/** A refund of a sale, by its concrete route. */
export class OrderRefundView {
  @ApiProperty({ example: 'alipay', description: 'the route the money went back by (the reversed payment\'s method, cash or store_credit)' }) method!: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) amount!: number;
  @ApiProperty({ type: String, nullable: true, description: 'the payment it reverses; null for cash or store credit chosen by the approver' }) paymentId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'when it was issued; null for refunds issued before this field existed' }) at!: string | null;
}
type _OrderRefundView = Expect<Same<OrderRefundView, OrderRefundLine>>;

export class OrderAnswer {
  @ApiProperty() orderId!: string;
  @ApiProperty() number!: string;
  @ApiProperty({ enum: ORDER_KINDS }) kind!: OrderKind;
  @ApiProperty({ enum: ORDER_STATUS_VALUES }) status!: OrderStatus;
  @ApiProperty() partyId!: string;
  @ApiProperty({ example: 'main' }) warehouseId!: string;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: [OrderLineView] }) lines!: OrderLineView[];
  @ApiProperty({ type: 'integer', description: 'minor units' }) total!: number;
  @ApiProperty({ type: 'integer', description: 'sale: paid by the customer; purchase: deposits paid to the supplier' }) paid!: number;
  @ApiProperty({ type: 'integer', description: 'sale: refunded to the customer; purchase: refunds received from the supplier' }) refunded!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'purchase: what the supplier owes back (deposits after a cancellation, returned goods); null for a sale' })
  supplierRefundDue!: number | null;
  @ApiProperty({ type: [OrderPaymentView], description: 'sale: each customer payment, oldest first; empty for a purchase' }) payments!: OrderPaymentView[];
  @ApiProperty({ type: [OrderRefundView], description: 'sale: each refund by route, oldest first; empty for a purchase' }) refunds!: OrderRefundView[];
  @ApiProperty() ownerId!: string;
  @ApiProperty() placedAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: CancellationView, nullable: true }) cancellation!: CancellationView | null;
  @ApiProperty({ type: String, enum: RESERVATION_STATES, nullable: true, description: 'sale placement: whether every line is reserved; null for a purchase' })
  reservation!: ReservationState | null;
  @ApiProperty({ type: [ShortLineView], description: 'a rejected sale: the lines stock could not cover' }) shortLines!: ShortLineView[];
  @ApiProperty({ type: ShipmentView, nullable: true, description: 'the latest shipment; every one is in `shipments`' }) shipment!: ShipmentView | null;
  @ApiProperty({ type: [ShipmentView], description: 'every shipment, oldest first' }) shipments!: ShipmentView[];
  @ApiProperty({ type: [ReturnView], description: 'sale: customer returns and the returns of approved cancellations' }) returns!: ReturnView[];
  @ApiProperty({ type: [PurchaseReturnView], description: 'purchase: goods sent back to the supplier' }) purchaseReturns!: PurchaseReturnView[];
  @ApiProperty({ type: HoldView, nullable: true, description: 'set while the order is on hold' }) onHold!: HoldView | null;
  @ApiProperty({ type: [AmendmentView] }) amendments!: AmendmentView[];
  @ApiProperty({ type: 'integer', description: 'grows each time what the order needs held in stock may have changed' }) requirementVersion!: number;
  @ApiProperty({ type: PurchaseFundsView, nullable: true, description: 'purchase only; null for a sale' }) funds!: PurchaseFundsView | null;
  @ApiProperty({ type: 'integer', description: 'revision of the order stream (0 after its first event)' }) revision!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'commands: log position of the last event this command appended, process steps included (null when it appended nothing); ' +
      'queries: the last event applied to the view. Read views with minPosition=',
  })
  position!: string | null;
}
type _OrderAnswer = Expect<Same<OrderAnswer, OrderResult>>;

/** What a command that opens something answers besides the order: the shipment (ship) or the return (customer and purchase returns). */
export type OpenedId = 'shipmentId' | 'returnId';
export type OrderWriteResult = OrderResult & { readonly [Id in OpenedId]?: string };
export type ShipmentResult = OrderResult & { readonly shipmentId: string };
export type ReturnResult = OrderResult & { readonly returnId: string };

export class ShipmentAnswer extends OrderAnswer {
  @ApiProperty({ example: 'S1', description: 'the shipment this command recorded (S1, S2, ... per order)' }) shipmentId!: string;
}
type _ShipmentAnswer = Expect<Same<ShipmentAnswer, ShipmentResult>>;

export class ReturnAnswer extends OrderAnswer {
  @ApiProperty({ example: 'R1', description: 'the return this command opened (customer returns R1, R2, ...; purchase returns PR1, PR2, ... per order)' }) returnId!: string;
}
type _ReturnAnswer = Expect<Same<ReturnAnswer, ReturnResult>>;
