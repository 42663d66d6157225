import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';

import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors, ApiErrors, ApiErrorView } from '../../platform/http/openapi.js';
import { Command } from '../../platform/http/request-context.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { ApproveCancellationCommand } from '../approve-cancellation/approve-cancellation.handler.js';
import { ApproveCancellationDto } from './approve-cancellation.dto.js';
import { DeliverOrderCommand } from '../deliver-order/deliver-order.handler.js';
import { parseIfMatch } from './if-match.js';
import { type OrderResult, OrderView } from './order-view.js';
import { PlaceOrderDto } from './place-order.dto.js';
import { PlaceOrderCommand } from '../place-order/place-order.handler.js';
import { ProcessOrderCommand } from '../process-order/process-order.handler.js';
import { ReceiveGoodsDto } from './receive-goods.dto.js';
import { ReceiveGoodsCommand } from '../receive-goods/receive-goods.handler.js';
import { ReceiveReturnDto } from './receive-return.dto.js';
import { ReceiveReturnCommand } from '../receive-return/receive-return.handler.js';
import { SupplierRefundDto } from './receive-supplier-refund.dto.js';
import { ReceiveSupplierRefundCommand } from '../receive-supplier-refund/receive-supplier-refund.handler.js';
import { RecordPaymentDto } from './record-payment.dto.js';
import { RecordPaymentCommand } from '../record-payment/record-payment.handler.js';
import { RejectCancellationDto } from './reject-cancellation.dto.js';
import { RejectCancellationCommand } from '../reject-cancellation/reject-cancellation.handler.js';
import { RequestCancellationDto } from './request-cancellation.dto.js';
import { RequestCancellationCommand } from '../request-cancellation/request-cancellation.handler.js';
import { ShipOrderDto } from './ship-order.dto.js';
import { ShipOrderCommand } from '../ship-order/ship-order.handler.js';
import { WithdrawCancellationCommand } from '../withdraw-cancellation/withdraw-cancellation.handler.js';

const IF_MATCH = { name: 'If-Match', required: false, description: 'the order revision the client saw; a stale one is 412 revision_mismatch' };
const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', required: false, description: 'same key + same request: the first response again, nothing appended' };

/** Order commands (API.md "Orders"). Each answers the order as the write side sees it, with revision and position. */
@ApiTags('orders')
@ApiHeader(IDEMPOTENCY_KEY)
@ApiCommandErrors()
@Controller('orders')
export class OrdersController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('clerk', 'integration')
  @ApiOperation({ summary: 'Place a sale (every line reserved) or a purchase (incoming expected, funds committed)' })
  @ApiCreatedResponse({ type: OrderView })
  @ApiResponse({ status: 409, type: ApiErrorView, description: '`insufficient_stock` with details.lines: the order is kept as rejected, nothing reserved; `already_exists`' })
  async place(@Body() body: PlaceOrderDto, @Command() metadata: CommandMetadata, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new PlaceOrderCommand(body, metadata)));
  }

  @Post(':id/process')
  @HttpCode(200)
  @Roles('warehouse')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'placed -> processing (已处理未发货)' })
  @ApiOkResponse({ type: OrderView })
  async process(@Param('id', IdParamPipe) id: string, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new ProcessOrderCommand(id, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/ship')
  @HttpCode(200)
  @Roles('warehouse')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'sale placed|processing -> shipped' })
  @ApiOkResponse({ type: OrderView })
  async ship(@Param('id', IdParamPipe) id: string, @Body() body: ShipOrderDto, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new ShipOrderCommand(id, body, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/deliver')
  @HttpCode(200)
  @Roles('warehouse')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'sale shipped -> delivered' })
  @ApiOkResponse({ type: OrderView })
  async deliver(@Param('id', IdParamPipe) id: string, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new DeliverOrderCommand(id, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/receive')
  @HttpCode(200)
  @Roles('warehouse')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'purchase -> partially_received | received (goods arrived); more than ordered is 409 exceeds_ordered' })
  @ApiOkResponse({ type: OrderView })
  async receive(@Param('id', IdParamPipe) id: string, @Body() body: ReceiveGoodsDto, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new ReceiveGoodsCommand(id, body, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/payments')
  @HttpCode(200)
  @Roles('clerk', 'finance')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'sale: customer payment; purchase: deposit to the supplier; more than outstanding is 409 overpayment' })
  @ApiOkResponse({ type: OrderView })
  async pay(@Param('id', IdParamPipe) id: string, @Body() body: RecordPaymentDto, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new RecordPaymentCommand(id, body, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/supplier-refunds')
  @HttpCode(200)
  @Roles('finance')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'purchase: money the supplier paid back against a refund due (after a cancellation)' })
  @ApiOkResponse({ type: OrderView })
  async supplierRefund(@Param('id', IdParamPipe) id: string, @Body() body: SupplierRefundDto, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new ReceiveSupplierRefundCommand(id, body, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/cancellation')
  @HttpCode(200)
  @Roles('clerk', 'integration')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'Request a cancellation (reason, initiatedBy); someone else reviews it' })
  @ApiOkResponse({ type: OrderView })
  async requestCancellation(@Param('id', IdParamPipe) id: string, @Body() body: RequestCancellationDto, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new RequestCancellationCommand(id, body, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/cancellation/approve')
  @HttpCode(200)
  @Roles('approver')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'Approve: release, refund, cancel (before shipment) · returning (after) · purchase cancelled or closed' })
  @ApiOkResponse({ type: OrderView })
  async approveCancellation(@Param('id', IdParamPipe) id: string, @Body() body: ApproveCancellationDto, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new ApproveCancellationCommand(id, body, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/cancellation/reject')
  @HttpCode(200)
  @Roles('approver')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'Reject with a reason; the order stays where it was' })
  @ApiOkResponse({ type: OrderView })
  async rejectCancellation(@Param('id', IdParamPipe) id: string, @Body() body: RejectCancellationDto, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new RejectCancellationCommand(id, body, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/cancellation/withdraw')
  @HttpCode(200)
  @Roles('clerk', 'integration')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'Withdraw a pending request (the requester only)' })
  @ApiOkResponse({ type: OrderView })
  async withdrawCancellation(@Param('id', IdParamPipe) id: string, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new WithdrawCancellationCommand(id, metadata, parseIfMatch(ifMatch))));
  }

  @Post(':id/returns/receive')
  @HttpCode(200)
  @Roles('warehouse')
  @ApiHeader(IF_MATCH)
  @ApiErrors(404, 412)
  @ApiOperation({ summary: 'returning: goods came back (resellable restocked); when all is back, refund and cancelled' })
  @ApiOkResponse({ type: OrderView })
  async receiveReturn(@Param('id', IdParamPipe) id: string, @Body() body: ReceiveReturnDto, @Command() metadata: CommandMetadata, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OrderResult> {
    return withETag(response, await this.commands.execute(new ReceiveReturnCommand(id, body, metadata, parseIfMatch(ifMatch))));
  }
}

function withETag(response: Response, result: OrderResult): OrderResult {
  response.setHeader('ETag', `"${result.revision}"`);
  return result;
}
