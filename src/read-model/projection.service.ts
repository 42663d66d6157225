import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

import { PROJECTION_GROUPS } from '../../projections/index.js';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port.js';
import { eventDistance } from './event-distance.js';
import { ProjectionRunner, type RunnerStatus } from './projection-runner.js';
import { DEAD_LETTERS, ensureViews, PROJECTED_VIEWS } from './view-catalog.js';

export interface ProjectionHealth {
  readonly group: string;
  readonly status: RunnerStatus;
  readonly generation: string | null;
  /** The checkpoint: every event up to here is in the view. */
  readonly position: string | null;
  /** Events in the log after the checkpoint (null where the store cannot count them). */
  readonly lag: number | null;
  readonly caughtUp: boolean;
  readonly deadLetters: number;
  readonly lastError: string | null;
}

/**
 * Runs one ProjectionRunner per projection group while the service is up: started once the
 * application has bootstrapped, stopped before shutdown (the event store and the read store close
 * after). Read-your-writes (`waitFor`), status for /api/health and metrics for /api/metrics.
 */
@Injectable()
export class ProjectionService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[];
  private readonly deadLetters = new Map<string, number>();
  private readonly applied: Counter<'projection'>;
  private readonly deadLettered: Gauge<'projection'>;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly registry: MetricsRegistry,
  ) {
    this.applied = new Counter({ name: 'jxc_projection_events_total', help: 'Events applied (delivered and handled) per projection since start', labelNames: ['projection'], registers: [registry] });
    this.deadLettered = new Gauge({ name: 'jxc_projection_dead_letters', help: 'Events a projection skipped after its attempts, recorded in dead_letters', labelNames: ['projection'], registers: [registry] });
    const logger = { log: (m: string) => this.logger.log(m), warn: (m: string) => this.logger.warn(m), error: (m: string) => this.logger.error(m) };
    this.runners = PROJECTION_GROUPS.map(
      (group) =>
        new ProjectionRunner(group, events, views, {
          logger,
          observer: {
            batchWritten: (_group, names, count) => {
              for (const name of names) this.applied.inc({ projection: name }, count);
            },
            deadLettered: (view) => {
              this.deadLetters.set(view, (this.deadLetters.get(view) ?? 0) + 1);
              this.deadLettered.inc({ projection: view });
            },
          },
        }),
    );
    this.registerGauges();
  }

  async onModuleInit(): Promise<void> {
    await ensureViews(this.views);
    for (const view of PROJECTED_VIEWS) {
      const recorded = await this.views.count(DEAD_LETTERS.name, { projection: view.name });
      this.deadLetters.set(view.name, recorded);
      this.deadLettered.set({ projection: view.name }, recorded);
      this.applied.inc({ projection: view.name }, 0);
    }
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.logger.log('projection runners stopped');
  }

  /** True once the view has applied `position`; false after `timeoutMs`. */
  waitFor(view: string, position: string, timeoutMs: number): Promise<boolean> {
    return this.runnerOf(view).waitFor(view, position, timeoutMs);
  }

  /** The position the view has applied up to, if any. */
  position(view: string): string | undefined {
    return this.runnerOf(view).position(view);
  }

  async health(): Promise<Record<string, ProjectionHealth>> {
    const head = await this.events.headPosition();
    const result: Record<string, ProjectionHealth> = {};
    for (const runner of this.runners) {
      const status = runner.status();
      for (const view of status.views) {
        const position = view.position ?? undefined;
        result[view.view] = {
          group: status.group,
          status: status.status,
          generation: view.generation,
          position: view.position,
          lag: eventDistance(this.events, position, head) ?? null,
          caughtUp: head === undefined || (position !== undefined && this.events.comparePositions(position, head) >= 0),
          deadLetters: this.deadLetters.get(view.view) ?? 0,
          lastError: status.lastError,
        };
      }
    }
    return result;
  }

  private runnerOf(view: string): ProjectionRunner {
    const runner = this.runners.find((candidate) => candidate.group.views.some((projection) => projection.name === view));
    if (!runner) throw new Error(`no projection feeds view ${view}`);
    return runner;
  }

  private registerGauges(): void {
    const health = () => this.health();
    const runners = this.runners;
    new Gauge({
      name: 'jxc_projection_lag_events',
      help: 'Events in the log after the projection checkpoint (embedded store; absent where positions cannot be counted)',
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [view, projection] of Object.entries(await health())) if (projection.lag !== null) this.set({ projection: view }, projection.lag);
      },
    });
    new Gauge({
      name: 'jxc_projection_runner_up',
      help: '1 while the group runner follows the log, 0 while it retries or is stopped',
      labelNames: ['group'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const runner of runners) this.set({ group: runner.group.name }, runner.status().status === 'running' ? 1 : 0);
      },
    });
  }
}
