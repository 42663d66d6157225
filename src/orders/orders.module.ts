import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { StockModule } from '../stock/stock.module.js';
import { OrderWriteHandler } from './commands.js';
import { OrderPartsController } from './http/order-parts.controller.js';
import { OrdersQueryController } from './http/orders-query.controller.js';
import { OrdersController } from './http/orders.controller.js';
import { ProcessesController } from './http/processes.controller.js';
import { DocumentNumbers } from './numbers/document-numbers.js';
import { OrderStateRebuilder } from './order-state.js';
import { OrderProcessRunner } from './processes/order-process-runner.js';
import { ProcessRecovery } from './processes/process-recovery.js';
import { ShopOrders } from './shop-orders.js';

/** Sales and purchase orders: commands (one handler on the CommandBus), queries, and the processes they start (inline and recovery). */
@Module({
  imports: [CqrsModule, StockModule],
  controllers: [OrdersController, OrderPartsController, OrdersQueryController, ProcessesController],
  providers: [OrderWriteHandler, OrderProcessRunner, ProcessRecovery, OrderStateRebuilder, DocumentNumbers, ShopOrders],
  exports: [OrderProcessRunner, ProcessRecovery],
})
export class OrdersModule {}
