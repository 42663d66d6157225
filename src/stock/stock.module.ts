import { Module } from '@nestjs/common';

import { StockQueryController } from './http/stock-query.controller.js';
import { StockController } from './http/stock.controller.js';
import { ProductProcessRunner } from './product-process-runner.js';
import { StockCommands } from './stock-commands.service.js';

/** Stock positions (receipts, counts, thresholds), their queries, and the product thresholds process. */
@Module({
  controllers: [StockController, StockQueryController],
  providers: [StockCommands, ProductProcessRunner],
  exports: [ProductProcessRunner],
})
export class StockModule {}
