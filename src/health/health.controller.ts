import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '../access/roles.decorator.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { type ProjectionHealth, ProjectionService } from '../read-model/projection.service.js';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionService,
    @Inject(READ_STORE) private readonly views: ReadStore,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Store and projection status (no key needed)',
    description:
      '`status` is `ok`, or `degraded` while a projection runner retries (e.g. the read store is unreachable). ' +
      '`readStore.kind` says where the views live. Per view: runner status, live generation, checkpoint position, lag in events (null where the store cannot count), caughtUp, dead letters.',
  })
  async health(): Promise<{
    status: 'ok' | 'degraded';
    store: { kind: string; status: 'ok'; position: string | null };
    /** Where the views live: `sqlite` (views.sqlite) or `mongodb`. */
    readStore: { kind: string };
    projections: Record<string, ProjectionHealth>;
  }> {
    const position = await this.store.headPosition();
    const projections = await this.projections.health();
    const degraded = Object.values(projections).some((projection) => projection.status === 'retrying');
    return { status: degraded ? 'degraded' : 'ok', store: { kind: this.store.kind, status: 'ok', position: position ?? null }, readStore: { kind: this.views.kind }, projections };
  }
}
