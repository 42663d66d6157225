import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { StoreHealth, type StoreHealthSnapshot } from '../event-store/store-health.js';
import { ProcessRecovery } from '../../orders/processes/process-recovery.js';
import { type ProjectionHealth, ProjectionService } from '../projection-runner/projection.service.js';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port.js';
import { READ_TIMEOUT_MS } from '../read-store/timeout-read-store.js';
import { Readiness } from './readiness.js';

/** A probe waits this long for a store before calling it down (the read store's own bound is the same). */
const PROBE_TIMEOUT_MS = READ_TIMEOUT_MS;
/** The checkpoint a read-store probe reads: any name will do, it need not exist. */
const PROBE_CHECKPOINT = 'health-probe';

export interface StoreProbe {
  readonly answered: boolean;
  readonly position: string | null;
}

/** What the views report publicly: a runner's error becomes a fixed phrase (its text is in the service log). */
export type PublicProjectionHealth = Omit<ProjectionHealth, 'lastError'> & { readonly lastError: string | null };

const PUBLIC_RUNNER_ERROR = 'retrying after an error; see the service log';

/** The views' progress without error texts. */
export function publicProjections(projections: Readonly<Record<string, ProjectionHealth>>): Record<string, PublicProjectionHealth> {
  return Object.fromEntries(
    Object.entries(projections).map(([view, projection]) => [view, { ...projection, lastError: projection.lastError === null ? null : PUBLIC_RUNNER_ERROR }]),
  );
}

/**
 * The checks behind /api/health, /api/health/ready and /api/health/live, as @nestjs/terminus indicators.
 * Every check answers within PROBE_TIMEOUT_MS and none carries an error text of a driver: a store that fails
 * or does not answer is `down` with a fixed message.
 */
@Injectable()
export class HealthProbes {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly projections: ProjectionService,
    private readonly storeHealth: StoreHealth,
    private readonly readiness: Readiness,
    private readonly recovery: ProcessRecovery,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** The event store answers a read (its head position). Writes are StoreHealth's: see `storeStatus`. */
  async eventStore(): Promise<HealthIndicatorResult<'eventStore'>> {
    const session = this.indicators.check('eventStore');
    const probe = await this.probeEventStore();
    return probe.answered
      ? session.up({ kind: this.store.kind, position: probe.position })
      : session.down({ kind: this.store.kind, message: 'the event store did not answer' });
  }

  async readStore(): Promise<HealthIndicatorResult<'readStore'>> {
    const session = this.indicators.check('readStore');
    return (await this.probeReadStore())
      ? session.up({ kind: this.views.kind })
      : session.down({ kind: this.views.kind, message: `the read store did not answer within ${PROBE_TIMEOUT_MS} ms` });
  }

  /** Every projection group has caught up once with the log as it was at start. */
  async caughtUpOnce(): Promise<HealthIndicatorResult<'projections'>> {
    const session = this.indicators.check('projections');
    const pending = await this.pendingGroups(await this.projectionHealth());
    if (pending === undefined) return session.down({ message: 'the views cannot be checked while the event store does not answer' });
    return pending.length === 0
      ? session.up({ caughtUp: true })
      : session.down({ caughtUp: false, catchingUp: pending, message: 'the views are catching up with the log' });
  }

  /** The live check: the process runs its event loop and answers. */
  live(): HealthIndicatorResult<'process'> {
    return this.indicators.check('process').up({ uptimeSeconds: Math.floor(process.uptime()) });
  }

  async probeEventStore(): Promise<StoreProbe> {
    try {
      const position = await within(this.store.headPosition(), PROBE_TIMEOUT_MS);
      return { answered: true, position: position ?? null };
    } catch {
      return { answered: false, position: null };
    }
  }

  async probeReadStore(): Promise<boolean> {
    try {
      await within(this.views.getCheckpoint(PROBE_CHECKPOINT), PROBE_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }

  /** The views' progress as the projection runners report it, or undefined when it cannot be had (event store down). */
  async projectionHealth(): Promise<Record<string, ProjectionHealth> | undefined> {
    try {
      return await within(this.projections.health(), PROBE_TIMEOUT_MS);
    } catch {
      return undefined;
    }
  }

  /** Groups still to catch up once; undefined when unknown (no progress, or the head at start cannot be read). */
  async pendingGroups(projections: Readonly<Record<string, ProjectionHealth>> | undefined): Promise<string[] | undefined> {
    if (projections === undefined) return undefined;
    try {
      return await within(this.readiness.pendingGroups(projections), PROBE_TIMEOUT_MS);
    } catch {
      return undefined;
    }
  }

  eventStoreKind(): EventStore['kind'] {
    return this.store.kind;
  }

  readStoreKind(): ReadStore['kind'] {
    return this.views.kind;
  }

  storeStatus(): StoreHealthSnapshot {
    return this.storeHealth.snapshot();
  }

  stalledProcesses(): number {
    return this.recovery.stalledCount();
  }
}

function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => undefined);
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
