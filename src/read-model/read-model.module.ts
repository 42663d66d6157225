import { Global, Module } from '@nestjs/common';

import { ProjectionService } from './projection.service.js';

/** The projection runners (one per group) and read-your-writes, for the query controllers and /api/health. */
@Global()
@Module({ providers: [ProjectionService], exports: [ProjectionService] })
export class ReadModelModule {}
