import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { StockWriteHandler } from './commands.js';
import { StockMovesController } from './http/stock-moves.controller.js';
import { StockQueryController } from './http/stock-query.controller.js';
import { StockController } from './http/stock.controller.js';
import { ProductProcessRunner } from './product-process-runner.js';
import { TransferProcessRunner } from './transfer-process-runner.js';
import { StockTransfers } from './transfers.js';

/** Stock positions (receipts, counts, issues, thresholds: one handler on the CommandBus), transfers, their queries, and the product thresholds and transfer processes. */
@Module({
  imports: [CqrsModule],
  // The moves' routes first: `GET /stock/transfers` must not be read as the stock of a SKU named `transfers`.
  controllers: [StockController, StockMovesController, StockQueryController],
  providers: [StockWriteHandler, ProductProcessRunner, TransferProcessRunner, StockTransfers],
  exports: [ProductProcessRunner, TransferProcessRunner],
})
export class StockModule {}
