import { Controller, Get, Header, HttpStatus, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { Public } from '../../access/roles.decorator.js';
import { Leadership } from '../cluster/leadership.js';
import { HealthProbes, publicProjections } from './health-probes.js';
import { HealthCheckView, HealthSummary, type HealthStatus, ProjectionHealthView } from './health.dto.js';

@ApiTags('operations')
@ApiExtraModels(ProjectionHealthView)
@Controller('health')
export class HealthController {
  constructor(
    private readonly probes: HealthProbes,
    private readonly checks: HealthCheckService,
    @Optional() private readonly leadership?: Leadership,
  ) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOperation({
    summary: 'Stores, processes and projections at a glance (no key needed)',
    description:
      '`status`: `unavailable` when the event store cannot write or read (disk full, I/O error, EventStoreDB unreachable: until an append succeeds again) or a store does not answer within 2 s; ' +
      '`starting` until the views have caught up once; `degraded` while a projection runner retries or an order process is stalled; `ok` otherwise. ' +
      'HTTP 503 when not ready or the event store is unavailable, else 200; the body is the same. No error text of a driver or a path is ever shown: see the service log.',
  })
  @ApiOkResponse({ type: HealthSummary, description: 'Ready, and the event store can write' })
  @ApiServiceUnavailableResponse({ type: HealthSummary, description: 'Not ready (a store does not answer, or the views are catching up) or the event store is unavailable' })
  async health(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthSummary> {
    const [eventStore, readStoreAnswers, projections] = await Promise.all([this.probes.probeEventStore(), this.probes.probeReadStore(), this.probes.projectionHealth()]);
    const pending = await this.probes.pendingGroups(projections);
    const tracked = this.probes.storeStatus();
    const storeStatus = tracked.status === 'unavailable' || !eventStore.answered ? 'unavailable' : 'ok';
    const readStoreStatus = readStoreAnswers ? 'ok' : 'unavailable';
    const ready = eventStore.answered && readStoreAnswers && pending !== undefined && pending.length === 0;
    const stalled = this.probes.stalledProcesses();
    const retrying = Object.values(projections ?? {}).some((projection) => projection.status === 'retrying');

    let status: HealthStatus = 'ok';
    if (storeStatus === 'unavailable' || readStoreStatus === 'unavailable') status = 'unavailable';
    else if (!ready) status = 'starting';
    else if (retrying || stalled > 0) status = 'degraded';

    response.status(ready && storeStatus === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status,
      ready,
      store: {
        kind: this.probes.eventStoreKind(),
        status: storeStatus,
        position: eventStore.position,
        writes: tracked.writes,
        reads: eventStore.answered ? tracked.reads : 'unavailable',
        since: tracked.since,
      },
      readStore: { kind: this.probes.readStoreKind(), status: readStoreStatus },
      processes: { stalled },
      projections: projections === undefined ? {} : publicProjections(projections),
      ...this.cluster(),
      ...(pending !== undefined && pending.length > 0 ? { catchingUp: pending } : {}),
    };
  }

  /** With JXC_WORKERS > 1: which process answered and which leads (nothing with one process). */
  private cluster(): { cluster?: HealthSummary['cluster'] } {
    const status = this.leadership?.status();
    if (status === undefined || status.workers === 1) return {};
    return {
      cluster: {
        workers: status.workers,
        worker: status.worker,
        leader: status.leader,
        leaderId: status.lease?.holder ?? null,
        leaseExpiresAt: status.lease?.expiresAt ?? null,
        leaseGeneration: status.lease?.generation ?? 0,
      },
    };
  }

  @Get('live')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: 200 while the process runs and answers (no key needed); checks nothing else' })
  @ApiOkResponse({ type: HealthCheckView })
  live(): HealthCheckResult {
    const running = this.probes.live();
    return { status: 'ok', info: running, error: {}, details: running };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: 200 once both stores answer (within 2 s) and every projection group has caught up once with the log as it was at start; 503 otherwise and while shutting down (no key needed)',
    description: 'The @nestjs/terminus format: `status` `ok`, `error` or `shutting_down`; `info`/`error`/`details` keyed `eventStore`, `readStore`, `projections`. A full disk does not make the service unready (reads still work): see `GET /api/health`.',
  })
  @ApiOkResponse({ type: HealthCheckView, description: 'ready' })
  @ApiServiceUnavailableResponse({ type: HealthCheckView, description: 'not ready, or shutting down' })
  async ready(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.checks.check([() => this.probes.eventStore(), () => this.probes.readStore(), () => this.probes.caughtUpOnce()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
