import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiTags } from '@nestjs/swagger';

import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors } from '../../platform/http/openapi.js';
import { AmendOrderDto } from './amend-order.dto.js';
import { HoldOrderDto, ReleaseHoldDto } from './hold-order.dto.js';
import { type OrderResult, ReturnAnswer, type ReturnResult } from './order-answer.js';
import { OnExistingOrder, OrderRequest, sendOpeningWrite, sendOrderWrite } from './order-request.js';
import { IDEMPOTENCY_KEY } from './orders.controller.js';
import { CloseReturnsDto, RequestReturnDto, ReturnToSupplierDto } from './receive-return.dto.js';

const skuQuantities = (lines: readonly { sku: string; quantity: number }[]) => lines.map(({ sku, quantity }) => ({ sku, quantity }));

/**
 * The commands only orders in parts have (API.md "Orders in parts"): amendments, holds, customer returns and
 * purchase returns. Partial shipment, delivery per shipment, partial cancellation and receiving returns are
 * options of the routes in orders.controller.ts. Each route maps its DTO to an order write on the CommandBus.
 */
@ApiTags('orders')
@ApiHeader(IDEMPOTENCY_KEY)
@ApiCommandErrors()
@Controller('orders')
export class OrderPartsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/amend')
  @Roles('clerk')
  @OnExistingOrder(
    "Sale: the order's lines become these (a line left out is quantity 0); an increase reserves more, a decrease releases, money paid above the new total is refunded. " +
      'Only the clerk who placed the order (or an admin): 403 otherwise. 400 for an unknown sku; 409 insufficient_stock (the increase cannot be reserved: nothing changed, ' +
      'details.lines), below_shipped, cancellation_pending, invalid_transition',
  )
  amend(@Param('id', IdParamPipe) id: string, @Body() body: AmendOrderDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    const lines = body.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }));
    return sendOrderWrite(this.commands, request, { kind: 'amend', orderId: id, lines, reason: body.reason });
  }

  @Post(':id/hold')
  @Roles('approver', 'warehouse')
  @OnExistingOrder('Put the order on hold: process, ship, deliver and receive answer 409 on_hold until released; reservations are kept; payments, amendments, cancellation requests and returns still work. 409 invalid_transition when already held or finished')
  hold(@Param('id', IdParamPipe) id: string, @Body() body: HoldOrderDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return sendOrderWrite(this.commands, request, { kind: 'order', orderId: id, command: { type: 'HoldOrder', orderId: id, reason: body.reason } });
  }

  @Post(':id/hold/release')
  @Roles('approver', 'warehouse')
  @OnExistingOrder('Release the hold: fulfilment goes on. 409 invalid_transition when not held')
  releaseHold(@Param('id', IdParamPipe) id: string, @Body() body: ReleaseHoldDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return sendOrderWrite(this.commands, request, { kind: 'order', orderId: id, command: { type: 'ReleaseHold', orderId: id, note: body.note ?? null } });
  }

  @Post(':id/returns')
  @Roles('clerk')
  @OnExistingOrder('Sale: a customer return of delivered goods without cancelling the order; answers its returnId. 409 exceeds_shipped (more than delivered minus returned and pending)', ReturnAnswer)
  requestReturn(@Param('id', IdParamPipe) id: string, @Body() body: RequestReturnDto, @OrderRequest() request: OrderRequest): Promise<ReturnResult> {
    const command = { type: 'RequestReturn', orderId: id, lines: skuQuantities(body.lines), reason: body.reason } as const;
    return sendOpeningWrite(this.commands, request, { kind: 'order', orderId: id, command, opens: 'returnId' });
  }

  @Post(':id/returns/close')
  @Roles('warehouse')
  @OnExistingOrder('Stop waiting for goods of the open returns that will not come back: what came back is refunded; a returning order ends closed (the customer kept the rest), a delivered order stays delivered. 409 invalid_transition when no return still expects goods')
  closeReturns(@Param('id', IdParamPipe) id: string, @Body() body: CloseReturnsDto, @OrderRequest() request: OrderRequest): Promise<OrderResult> {
    return sendOrderWrite(this.commands, request, { kind: 'order', orderId: id, command: { type: 'CloseReturns', orderId: id, reason: body.reason } });
  }

  @Post(':id/purchase-returns')
  @Roles('warehouse')
  @OnExistingOrder(
    'Purchase: received goods go back to the supplier; on hand decreases and the supplier owes their value at the purchase price (supplierRefundDue); answers its returnId. ' +
      '409 insufficient_stock (on hand would fall below reserved: nothing went back, details.lines), exceeds_shipped (more than received and not yet returned)',
    ReturnAnswer,
  )
  returnToSupplier(@Param('id', IdParamPipe) id: string, @Body() body: ReturnToSupplierDto, @OrderRequest() request: OrderRequest): Promise<ReturnResult> {
    const command = { type: 'ReturnToSupplier', orderId: id, lines: skuQuantities(body.lines), reason: body.reason } as const;
    return sendOpeningWrite(this.commands, request, { kind: 'order', orderId: id, command, opens: 'returnId' });
  }
}
