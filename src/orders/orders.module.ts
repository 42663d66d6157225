import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { OrderProcessRunner } from './processes/order-process-runner.js';
import { ProcessRecovery } from './processes/process-recovery.js';
import { ProcessesController } from './http/processes.controller.js';
import { StockModule } from '../stock/stock.module.js';
import { ApproveCancellationHandler } from './approve-cancellation/approve-cancellation.handler.js';
import { DeliverOrderHandler } from './deliver-order/deliver-order.handler.js';
import { OrderCommands } from './commands.js';
import { OrdersController } from './http/orders.controller.js';
import { OrdersQueryController } from './http/orders-query.controller.js';
import { OrderStateRebuilder } from './order-state.js';
import { PlaceOrderHandler } from './place-order/place-order.handler.js';
import { ProcessOrderHandler } from './process-order/process-order.handler.js';
import { ReceiveGoodsHandler } from './receive-goods/receive-goods.handler.js';
import { ReceiveReturnHandler } from './receive-return/receive-return.handler.js';
import { ReceiveSupplierRefundHandler } from './receive-supplier-refund/receive-supplier-refund.handler.js';
import { RecordPaymentHandler } from './record-payment/record-payment.handler.js';
import { RejectCancellationHandler } from './reject-cancellation/reject-cancellation.handler.js';
import { RequestCancellationHandler } from './request-cancellation/request-cancellation.handler.js';
import { ShipOrderHandler } from './ship-order/ship-order.handler.js';
import { WithdrawCancellationHandler } from './withdraw-cancellation/withdraw-cancellation.handler.js';

const handlers = [
  PlaceOrderHandler,
  ProcessOrderHandler,
  ShipOrderHandler,
  DeliverOrderHandler,
  ReceiveGoodsHandler,
  RecordPaymentHandler,
  ReceiveSupplierRefundHandler,
  RequestCancellationHandler,
  ApproveCancellationHandler,
  RejectCancellationHandler,
  WithdrawCancellationHandler,
  ReceiveReturnHandler,
];

/** Sales and purchase orders: commands, queries, and the processes they start (inline and recovery). */
@Module({
  imports: [CqrsModule, StockModule],
  controllers: [OrdersController, OrdersQueryController, ProcessesController],
  providers: [...handlers, OrderCommands, OrderProcessRunner, ProcessRecovery, OrderStateRebuilder],
  exports: [OrderProcessRunner, OrderCommands, ProcessRecovery],
})
export class OrdersModule {}
