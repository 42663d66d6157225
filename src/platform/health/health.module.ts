import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { OrdersModule } from '../../orders/orders.module.js';
import { HealthProbes } from './health-probes.js';
import { HealthController } from './health.controller.js';
import { Readiness } from './readiness.js';

/**
 * GET /api/health (summary), /api/health/live and /api/health/ready, on @nestjs/terminus: its indicator
 * format, and readiness that turns 503 `shutting_down` as soon as the application begins to stop.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), OrdersModule],
  controllers: [HealthController],
  providers: [HealthProbes, Readiness],
})
export class HealthModule {}
