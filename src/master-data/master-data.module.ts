import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { StockModule } from '../stock/stock.module.js';
import { MasterDataWriteHandler } from './commands.js';
import { MasterDataQueryController } from './http/master-data-query.controller.js';
import { MasterDataController } from './http/master-data.controller.js';

/** Products, customers and suppliers: registration (one handler on the CommandBus) and queries. */
@Module({
  imports: [CqrsModule, StockModule],
  controllers: [MasterDataController, MasterDataQueryController],
  providers: [MasterDataWriteHandler],
})
export class MasterDataModule {}
