import { Module } from '@nestjs/common';

import { AuditController } from './audit.controller.js';
import { MasterDataQueryController } from './master-data-query.controller.js';
import { OrderStateRebuilder } from './order-state.js';
import { OrdersQueryController } from './orders-query.controller.js';
import { ReadYourWrites } from './read-your-writes.js';
import { StockQueryController } from './stock-query.controller.js';

/** The read routes of API.md: order, stock, master-data and audit queries, and the auditor's tools. */
@Module({
  controllers: [OrdersQueryController, StockQueryController, MasterDataQueryController, AuditController],
  providers: [ReadYourWrites, OrderStateRebuilder],
})
export class QueriesModule {}
