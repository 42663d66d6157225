import { type DynamicModule, Module } from '@nestjs/common';

import { AccessModule } from './access/access.module.js';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { BackupModule } from './platform/backup/backup.module.js';
import { ClusterModule } from './platform/cluster/cluster.module.js';
import { CONFIG, type Config } from './platform/config/config.js';
import { EventStoreModule } from './platform/event-store/event-store.module.js';
import { HealthModule } from './platform/health/health.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { CreditsModule } from './credits/credits.module.js';
import { HttpModule } from './platform/http/http.module.js';
import { EdgesModule } from './platform/http/edges/auth-throttle.js';
import { MetricsModule } from './platform/metrics/metrics.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { JournalModule } from './journal/journal.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PlanningModule } from './planning/planning.module.js';
import { AuditModule } from './audit/audit.module.js';
import { MasterDataModule } from './master-data/master-data.module.js';
import { StockModule } from './stock/stock.module.js';
import { CqrsModule } from '@nestjs/cqrs';
import { ProjectionRunnerModule } from './platform/projection-runner/projection-runner.module.js';
import { PersonalDataModule } from './platform/personal-data/personal-data.module.js';
import { ReadStoreModule } from './platform/read-store/read-store.module.js';
import { WriteModelModule } from './platform/write-model/write-model.module.js';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [EdgesModule, EventStoreModule, ClusterModule, ReadStoreModule, WriteModelModule, PersonalDataModule, AccessModule, HttpModule, CqrsModule.forRoot(), ExportsModule, OrdersModule, StockModule, MasterDataModule, AuditModule, MetricsModule, ProjectionRunnerModule, HealthModule, BackupModule, IntegrationsModule, ImportsModule, PlanningModule, AnalyticsModule, JournalModule, CreditsModule],
      providers: [{ provide: CONFIG, useValue: config }],
      exports: [CONFIG],
    };
  }
}
