import { Global, Module } from '@nestjs/common';

import { ProjectionService } from './projection.service.js';
import { PROJECTION_WORKER_MODULE, siblingWorkerModule } from './projection-worker-module.js';
import { ReadYourWrites } from './read-your-writes.js';

/** The projection runners (one per group) and read-your-writes, for every feature's queries and /api/health. */
@Global()
@Module({
  providers: [ProjectionService, ReadYourWrites, { provide: PROJECTION_WORKER_MODULE, useFactory: siblingWorkerModule }],
  exports: [ProjectionService, ReadYourWrites],
})
export class ProjectionRunnerModule {}
