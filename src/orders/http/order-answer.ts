import { ApiProperty } from '@nestjs/swagger';

import { type OrderSummary } from '../../../domain/index.js';
import { type GoodwillCoupon, INITIATORS, type Initiator, ORDER_KINDS, type OrderKind, type Penalty, type ShortLine } from '../../../domain/order/commands.js';
import { type CancellationOutcome } from '../../../domain/order/events.js';
import { type Cancellation, type CancellationState, type OrderStatus, type ReservationState, type Shipment } from '../../../domain/order/state.js';
import { PENALTY_PAYERS, type PenaltyPayer, REFUND_METHODS, type RefundMethod } from '../../../domain/payment/commands.js';
import { type OrderSummaryLine, type PurchaseFunds } from '../../../domain/processes/order-summary.js';
import { everyValue, type Expect, type Same } from '../../platform/http/openapi.js';

/** API.md's order view as the write side sees it, with the order stream's revision and the log position. */
export type OrderResult = OrderSummary & { readonly revision: number; readonly position: string | null };

const ORDER_STATUS_VALUES = everyValue<OrderStatus>()(
  'placed', 'processing', 'shipped', 'delivered', 'rejected', 'returning', 'partially_received', 'received', 'closed', 'cancelled',
);
const CANCELLATION_STATES = everyValue<CancellationState>()('requested', 'approved', 'rejected', 'withdrawn');
const CANCELLATION_OUTCOMES = everyValue<CancellationOutcome>()('release_and_refund', 'return_and_refund', 'cancel_purchase', 'close_remainder');
const RESERVATION_STATES = everyValue<ReservationState>()('pending', 'complete', 'failed');

// Each class below is the OpenAPI schema of a domain type; the `Expect<Same<...>>` line under it fails to
// compile when the two differ (a field added, dropped, or made nullable or optional on one side only).

export class OrderLineView {
  @ApiProperty({ example: 'TEA-LONGJING-250G' }) sku!: string;
  @ApiProperty({ type: 'integer', example: 2 }) quantity!: number;
  @ApiProperty({ type: 'integer', example: 12800, description: 'minor units' }) unitPrice!: number;
  @ApiProperty({ type: 'integer', description: 'units held in stock for the order now' }) reserved!: number;
  @ApiProperty({ type: 'integer' }) shipped!: number;
  @ApiProperty({ type: 'integer', description: 'purchase: units received so far' }) received!: number;
  @ApiProperty({ type: 'integer', description: 'units back from the customer, resellable and damaged together' }) returned!: number;
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
  @ApiProperty() code!: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) amount!: number;
}
type _GoodwillCouponView = Expect<Same<GoodwillCouponView, GoodwillCoupon>>;

/** The latest cancellation request and its decision. */
export class CancellationView {
  @ApiProperty({ enum: CANCELLATION_STATES }) state!: CancellationState;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: INITIATORS }) initiatedBy!: Initiator;
  @ApiProperty({ type: String, nullable: true, description: 'the requester\'s note' }) note!: string | null;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'approval note, or the rejection reason' }) decisionNote!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: CANCELLATION_OUTCOMES }) outcome!: CancellationOutcome | null;
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
  @ApiProperty({ type: String, nullable: true }) carrier!: string | null;
  @ApiProperty({ type: String, nullable: true }) trackingNumber!: string | null;
  @ApiProperty() shippedAt!: string;
}
type _ShipmentView = Expect<Same<ShipmentView, Shipment>>;

/** Purchase money beyond paid/refunded. */
export class PurchaseFundsView {
  @ApiProperty({ type: 'integer', description: 'frozen for the order at placement' }) committed!: number;
  @ApiProperty({ type: 'integer' }) released!: number;
  @ApiProperty({ type: 'integer' }) supplierRefundDue!: number;
  @ApiProperty({ type: 'integer' }) supplierRefundReceived!: number;
  @ApiProperty({ type: PenaltyView, nullable: true }) penalty!: PenaltyView | null;
}
type _PurchaseFundsView = Expect<Same<PurchaseFundsView, PurchaseFunds>>;

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
  @ApiProperty() ownerId!: string;
  @ApiProperty() placedAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: CancellationView, nullable: true }) cancellation!: CancellationView | null;
  @ApiProperty({ type: String, enum: RESERVATION_STATES, nullable: true, description: 'sale placement: whether every line is reserved; null for a purchase' })
  reservation!: ReservationState | null;
  @ApiProperty({ type: [ShortLineView], description: 'a rejected sale: the lines stock could not cover' }) shortLines!: ShortLineView[];
  @ApiProperty({ type: ShipmentView, nullable: true }) shipment!: ShipmentView | null;
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
