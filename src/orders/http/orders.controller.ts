import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { DEFAULT_CURRENCY, DEFAULT_WAREHOUSE_ID } from '../../../domain/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors, ApiErrorView } from '../../platform/http/openapi.js';
import { ExecuteOrderWrite, type OrderWrite } from '../commands.js';
import { ApproveCancellationDto } from './approve-cancellation.dto.js';
import { OrderAnswer, type OrderResult } from './order-answer.js';
import { OnExistingOrder, OrderRequest, parseIfMatch } from './order-request.js';
import { PlaceOrderDto } from './place-order.dto.js';
import { ReceiveGoodsDto } from './receive-goods.dto.js';
import { ReceiveReturnDto } from './receive-return.dto.js';
import { SupplierRefundDto } from './receive-supplier-refund.dto.js';
import { RecordPaymentDto } from './record-payment.dto.js';
import { RejectCancellationDto } from './reject-cancellation.dto.js';
import { RequestCancellationDto } from './request-cancellation.dto.js';
import { ShipOrderDto } from './ship-order.dto.js';

const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', required: false, description: 'same key + same request: the first response again, nothing appended' };

/**
 * Order commands (API.md "Orders"): each route maps its DTO to an order write and sends it on the CommandBus
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
  @ApiResponse({ status: 409, type: ApiErrorView, description: '`insufficient_stock` with details.lines: the order is kept as rejected, nothing reserved; `already_exists`' })
  place(@Body() body: PlaceOrderDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    const { orderId, number, kind, partyId, warehouseId, currency, lines } = body;
    const placement = { type: 'PlaceOrder', number: number ?? null, kind, partyId, warehouseId: warehouseId ?? DEFAULT_WAREHOUSE_ID, currency: currency ?? DEFAULT_CURRENCY } as const;
    return this.send(request, { kind: 'place', orderId, command: { ...placement, lines: lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })) } });
  }

  @Post(':id/process')
  @Roles('warehouse')
  @OnExistingOrder('placed -> processing (已处理未发货)')
  process(@Param('id', IdParamPipe) id: string, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'ProcessOrder', orderId: id } });
  }

  @Post(':id/ship')
  @Roles('warehouse')
  @OnExistingOrder('sale placed|processing -> shipped')
  ship(@Param('id', IdParamPipe) id: string, @Body() body: ShipOrderDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'ShipOrder', orderId: id, carrier: body.carrier ?? null, trackingNumber: body.trackingNumber ?? null } });
  }

  @Post(':id/deliver')
  @Roles('warehouse')
  @OnExistingOrder('sale shipped -> delivered')
  deliver(@Param('id', IdParamPipe) id: string, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'DeliverOrder', orderId: id } });
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
  @OnExistingOrder('Request a cancellation (reason, initiatedBy); someone else reviews it')
  requestCancellation(@Param('id', IdParamPipe) id: string, @Body() body: RequestCancellationDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'RequestCancellation', orderId: id, reason: body.reason, initiatedBy: body.initiatedBy, note: body.note ?? null } });
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
  @OnExistingOrder('returning: goods came back (resellable restocked); when all is back, refund and cancelled')
  receiveReturn(@Param('id', IdParamPipe) id: string, @Body() body: ReceiveReturnDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return this.send(request, { kind: 'order', orderId: id, command: { type: 'ReceiveReturn', orderId: id, lines: body.lines.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })) } });
  }

  /** Sends the write on the CommandBus and sets the answer's ETag (the order revision). A placement takes no If-Match. */
  private async send(request: OrderRequest, write: OrderWrite): Promise<OrderResult> {
    const ifMatch = write.kind === 'place' ? undefined : parseIfMatch(request.ifMatch);
    const result = await this.commands.execute(new ExecuteOrderWrite(write, request.metadata, ifMatch));
    request.response.setHeader('ETag', `"${result.revision}"`);
    return result;
  }
}
