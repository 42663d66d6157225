import { Global, Module } from '@nestjs/common';

import { ProjectionService } from './projection.service.js';
import { ReadYourWrites } from './read-your-writes.js';

/** The projection runners (one per group) and read-your-writes, for every feature's queries and /api/health. */
@Global()
@Module({ providers: [ProjectionService, ReadYourWrites], exports: [ProjectionService, ReadYourWrites] })
export class ProjectionRunnerModule {}
