import { Module } from '@nestjs/common';

import { StockModule } from '../stock/stock.module.js';
import { MasterDataQueryController } from './http/master-data-query.controller.js';
import { MasterDataController } from './http/master-data.controller.js';

/** Products, customers and suppliers: registration and queries. */
@Module({
  imports: [StockModule],
  controllers: [MasterDataController, MasterDataQueryController],
})
export class MasterDataModule {}
