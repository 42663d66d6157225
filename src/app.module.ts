import { type DynamicModule, Module } from '@nestjs/common';

import { CONFIG, type Config } from './config/config.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { HealthController } from './health/health.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [EventStoreModule],
      controllers: [HealthController],
      providers: [{ provide: CONFIG, useValue: config }],
      exports: [CONFIG],
    };
  }
}
