import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { StockModule } from '../stock/stock.module.js';
import { MasterDataWriteHandler } from './commands.js';
import { MasterDataQueryController } from './http/master-data-query.controller.js';
import { MasterDataController } from './http/master-data.controller.js';
import { WarehousesController } from './http/warehouses.controller.js';
import { WarehousesModule } from './warehouses.module.js';

/** Products, customers, suppliers and warehouses (the registry is global: stock and order routes check warehouse ids): registration (one handler on the CommandBus) and queries. */
@Module({
  imports: [CqrsModule, StockModule, WarehousesModule],
  controllers: [MasterDataController, MasterDataQueryController, WarehousesController],
  providers: [MasterDataWriteHandler],
})
export class MasterDataModule {}
