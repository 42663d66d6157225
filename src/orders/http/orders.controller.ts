import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { DEFAULT_CURRENCY, DEFAULT_WAREHOUSE_ID } from '../../../domain/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors, ApiErrorView } from '../../platform/http/openapi.js';
import { type OrderWrite } from '../commands.js';
import { ShopOrderRepeat, shopReferenceOf } from '../shop-orders.js';
import { ApproveCancellationDto } from './approve-cancellation.dto.js';
import { OrderAnswer, type OrderResult, ShipmentAnswer, type ShipmentResult } from './order-answer.js';
import { OnExistingOrder, OrderRequest, sendOpeningWrite, sendOrderWrite } from './order-request.js';
import { PlaceOrderDto } from './place-order.dto.js';
import { ReceiveGoodsDto } from './receive-goods.dto.js';
import { ReceiveReturnDto } from './receive-return.dto.js';
import { SupplierRefundDto } from './receive-supplier-refund.dto.js';
import { RecordPaymentDto } from './record-payment.dto.js';
import { RejectCancellationDto } from './reject-cancellation.dto.js';
import { RequestCancellationDto } from './request-cancellation.dto.js';
import { DeliverOrderDto, ShipOrderDto } from './ship-order.dto.js';

export const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', required: false, description: 'same key + same request: the first response again, nothing appended' };

/**
 * Order commands (API.md "Orders"; the routes of "Orders in parts" that only orders in parts have are in
 * order-parts.controller.ts): each route maps its DTO to an order write and sends it on the CommandBus
 * (OrderWriteHandler in ../commands.ts does the rest). Each answers the order as the write side sees it, with
 * its revision (also the ETag) and the log position.
 */
@ApiTags('orders')
@ApiHeader(IDEMPOTENCY_KEY)
@ApiCommandErrors()
@Controller('orders')
export class OrdersController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('clerk', 'integration')
  @ApiOperation({ summary: 'Place a sale (every line reserved) or a purchase (incoming expected, funds committed)' })
  @ApiCreatedResponse({ type: OrderAnswer })
  @ApiOkResponse({ type: OrderAnswer, description: 'a shop order (`channel`, `externalId`) placed before: the first order again (header `Idempotent-Replayed: true`), never a second one' })
  @ApiResponse({ status: 409, type: ApiErrorView, description: '`insufficient_stock` with details.lines: the order is kept as rejected, nothing reserved; `already_exists`' })
  place(@Body() body: PlaceOrderDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    const { orderId, number, kind, partyId, warehouseId, currency, lines } = body;
    const placement = { type: 'PlaceOrder', number: number ?? null, kind, partyId, warehouseId: warehouseId ?? DEFAULT_WAREHOUSE_ID, currency: currency ?? DEFAULT_CURRENCY } as const;
    const shop = shopReferenceOf(body);
    const write = { kind: 'place', orderId, command: { ...placement, lines: lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })) }, shop } as const;
    return this.send(request, write).catch((error: unknown) => {
      // A repeated shop order: the first order, with its revision as the ETag like any answer.
      if (error instanceof ShopOrderRepeat) request.response.header('ETag', `"${error.order.revision}"`);
      throw error;
    });
  }

  @Post(':id/process')
  @Roles('warehouse')
  @OnExistingOrder('placed -> processing (已处理未发货)')
  process(@Param('id', IdParamPipe) id: string, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'ProcessOrder', orderId: id } });
  }

  @Post(':id/ship')
  @Roles('warehouse')
  @OnExistingOrder(
    'sale: a shipment of the given lines (absent: everything not yet shipped) -> partially_shipped | shipped; answers its shipmentId. ' +
      '409 exceeds_ordered (more than ordered, not cancelled and not shipped), on_hold, cancellation_pending, invalid_transition',
    ShipmentAnswer,
  )
  ship(@Param('id', IdParamPipe) id: string, @Body() body: ShipOrderDto, @OrderRequest() request: OrderRequest): Promise<ShipmentResult> {
    const { lines, carrier, trackingNumber } = body;
    const command = { type: 'ShipOrder', orderId: id, lines: lines?.map(({ sku, quantity }) => ({ sku, quantity })) ?? null, carrier: carrier ?? null, trackingNumber: trackingNumber ?? null } as const;
    return sendOpeningWrite(this.commands, request, { kind: 'order', orderId: id, command, opens: 'shipmentId' });
  }

  @Post(':id/deliver')
  @Roles('warehouse')
  @OnExistingOrder('sale: one shipment delivered (absent: every shipment not delivered yet); delivered when every shipment is. 400 for an unknown shipmentId; 409 on_hold')
  deliver(@Param('id', IdParamPipe) id: string, @Body() body: DeliverOrderDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'DeliverOrder', orderId: id, shipmentId: body.shipmentId ?? null } });
  }

  @Post(':id/receive')
  @Roles('warehouse')
  @OnExistingOrder('purchase -> partially_received | received (goods arrived); more than ordered is 409 exceeds_ordered')
  receive(@Param('id', IdParamPipe) id: string, @Body() body: ReceiveGoodsDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'ReceiveGoods', orderId: id, lines: body.lines.map(({ sku, quantity }) => ({ sku, quantity })) } });
  }

  @Post(':id/payments')
  @Roles('clerk', 'finance')
  @OnExistingOrder('sale: customer payment; purchase: deposit to the supplier; more than outstanding is 409 overpayment')
  pay(@Param('id', IdParamPipe) id: string, @Body() body: RecordPaymentDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'payment', orderId: id, build: (_order, terms) => ({ type: 'RecordPayment', orderId: id, amount: body.amount, method: body.method, terms }) });
  }

  @Post(':id/supplier-refunds')
  @Roles('finance')
  @OnExistingOrder('purchase: money the supplier paid back against a refund due (after a cancellation)')
  supplierRefund(@Param('id', IdParamPipe) id: string, @Body() body: SupplierRefundDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'payment', orderId: id, build: () => ({ type: 'ReceiveSupplierRefund', orderId: id, amount: body.amount, method: body.method }) });
  }

  @Post(':id/cancellation')
  @Roles('clerk', 'integration')
  @OnExistingOrder(
    'Request a cancellation (reason, initiatedBy) of the whole order, of `lines`, or of the `remainder` (everything not shipped); someone else reviews it. ' +
      '409 exceeds_ordered (more than is left on a line), cancellation_pending, invalid_transition',
  )
  requestCancellation(@Param('id', IdParamPipe) id: string, @Body() body: RequestCancellationDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    const { reason, initiatedBy, note, lines, scope } = body;
    const part = { lines: lines?.map(({ sku, quantity }) => ({ sku, quantity })) ?? null, scope: scope ?? null };
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'RequestCancellation', orderId: id, reason, initiatedBy, note: note ?? null, ...part } });
  }

  @Post(':id/cancellation/approve')
  @Roles('approver')
  @OnExistingOrder('Approve: release, refund, cancel (before shipment) · returning (after) · purchase cancelled or closed')
  approveCancellation(@Param('id', IdParamPipe) id: string, @Body() body: ApproveCancellationDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    const { note, refundMethod, penalty, goodwillCoupon } = body;
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'ApproveCancellation', orderId: id, note: note ?? null, refundMethod: refundMethod ?? null, penalty: penalty ?? null, goodwillCoupon: goodwillCoupon ?? null } });
  }

  @Post(':id/cancellation/reject')
  @Roles('approver')
  @OnExistingOrder('Reject with a reason; the order stays where it was')
  rejectCancellation(@Param('id', IdParamPipe) id: string, @Body() body: RejectCancellationDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'RejectCancellation', orderId: id, reason: body.reason } });
  }

  @Post(':id/cancellation/withdraw')
  @Roles('clerk', 'integration')
  @OnExistingOrder('Withdraw a pending request (the requester only)')
  withdrawCancellation(@Param('id', IdParamPipe) id: string, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'WithdrawCancellation', orderId: id } });
  }

  @Post(':id/returns/receive')
  @Roles('warehouse')
  @OnExistingOrder(
    'Goods of an open return came back (`returnId`, or the open returns oldest first): resellable restocked, each unit refunded at its line price; ' +
      'a returning order ends cancelled when everything is back. 400 for an unknown returnId; 409 exceeds_shipped (more than expected), invalid_transition (no open return)',
  )
  receiveReturn(@Param('id', IdParamPipe) id: string, @Body() body: ReceiveReturnDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    const lines = body.lines.map(({ sku, quantity, condition }) => ({ sku, quantity, condition }));
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'ReceiveReturn', orderId: id, returnId: body.returnId ?? null, lines } });
  }

  private send(request: OrderRequest, write: OrderWrite): Promise<OrderResult> {
    return sendOrderWrite(this.commands, request, write);
  }
}
