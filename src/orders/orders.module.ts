import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { MasterDataController } from '../master-data/master-data.controller.js';
import { OrderProcessRunner } from '../processes/order-process-runner.js';
import { ProcessRecovery } from '../processes/process-recovery.js';
import { ProcessesController } from '../processes/processes.controller.js';
import { ProductProcessRunner } from '../processes/product-process-runner.js';
import { StockCommands } from '../stock/stock-commands.service.js';
import { StockController } from '../stock/stock.controller.js';
import { ApproveCancellationHandler } from './approve-cancellation/approve-cancellation.handler.js';
import { DeliverOrderHandler } from './deliver-order/deliver-order.handler.js';
import { OrderCommands } from './order-commands.service.js';
import { OrdersController } from './orders.controller.js';
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

/** The command side: order, stock and master-data commands, and the processes they start (inline and recovery). */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [OrdersController, StockController, MasterDataController, ProcessesController],
  providers: [...handlers, OrderCommands, StockCommands, OrderProcessRunner, ProductProcessRunner, ProcessRecovery],
  exports: [OrderProcessRunner, OrderCommands, ProcessRecovery],
})
export class OrdersModule {}
