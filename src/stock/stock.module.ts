import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { StockWriteHandler } from './commands.js';
import { StockQueryController } from './http/stock-query.controller.js';
import { StockController } from './http/stock.controller.js';
import { ProductProcessRunner } from './product-process-runner.js';

/** Stock positions (receipts, counts, thresholds: one handler on the CommandBus), their queries, and the product thresholds process. */
@Module({
  imports: [CqrsModule],
  controllers: [StockController, StockQueryController],
  providers: [StockWriteHandler, ProductProcessRunner],
  exports: [ProductProcessRunner],
})
export class StockModule {}
