import { Module } from '@nestjs/common';

import { AnalyticsController } from './analytics.controller.js';
import { BUSINESS_TIME, businessTimeFrom } from './business-time.js';
import { CustomerHistoryController } from './customer-history.controller.js';

/** Analytics (issue 13): sales and cancellations by period and group, a customer's history. Read-only, from the views. */
@Module({
  controllers: [AnalyticsController, CustomerHistoryController],
  providers: [{ provide: BUSINESS_TIME, useFactory: () => businessTimeFrom(process.env) }],
})
export class AnalyticsModule {}
