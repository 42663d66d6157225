import { Module } from '@nestjs/common';

import { PLANNING_SETTINGS, planningSettingsFrom } from './planning-settings.js';
import { ReorderController } from './reorder.controller.js';
import { ReorderPlanner } from './reorder-planner.js';

/** Reorder planning (issue 13): suggestions from the `planning` views and the stock levels. */
@Module({
  controllers: [ReorderController],
  providers: [{ provide: PLANNING_SETTINGS, useFactory: () => planningSettingsFrom(process.env) }, ReorderPlanner],
})
export class PlanningModule {}
