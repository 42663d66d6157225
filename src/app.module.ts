import { type DynamicModule, Module } from '@nestjs/common';

import { AccessModule } from './access/access.module.js';
import { CONFIG, type Config } from './config/config.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpModule } from './http/http.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { QueriesModule } from './queries/queries.module.js';
import { ReadModelModule } from './read-model/read-model.module.js';
import { ReadStoreModule } from './read-store/read-store.module.js';
import { WriteModelModule } from './write-model/write-model.module.js';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [EventStoreModule, ReadStoreModule, WriteModelModule, AccessModule, HttpModule, OrdersModule, MetricsModule, ReadModelModule, QueriesModule, HealthModule],
      providers: [{ provide: CONFIG, useValue: config }],
      exports: [CONFIG],
    };
  }
}
