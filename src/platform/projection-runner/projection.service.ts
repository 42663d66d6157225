import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { Counter, Gauge } from 'prom-client';

import { PROJECTION_GROUPS } from '../../../projections/index.js';
import { CONFIG, type Config, severalProcesses } from '../config/config.js';
import { EVENT_STORE, type EventStore, hasCommitNotices } from '../event-store/event-store.port.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port.js';
import { eventDistance } from './event-distance.js';
import { type RunnerStatus } from './projection-runner.js';
import { PROJECTION_WORKER_MODULE } from './projection-worker-module.js';
import { type FromWorker, type GroupStatus, type ProjectionWorkerData, type ToWorker } from './projection-worker-protocol.js';
import { DEAD_LETTERS, ensureViews, PROJECTED_VIEWS } from './view-catalog.js';
import { ViewWaiters } from './view-waiters.js';

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

const RESTART_AFTER_MS = 1000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Runs the projection runners (one per group) on a worker thread of their own while the service is
 * up, so that projecting never takes the thread that decides commands and answers HTTP: started once
 * the application has bootstrapped (views ensured), stopped before shutdown (the stores close after).
 * The worker has its own connections to both stores; this side sends it a notice after each commit
 * and keeps what it reports of each view: read-your-writes (`waitFor`), /api/health, /api/metrics.
 * A worker that dies is logged and started again from the checkpoints. The worker's module is
 * PROJECTION_WORKER_MODULE (projection-worker-module.ts).
 */
@Injectable()
export class ProjectionService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly deadLetters = new Map<string, number>();
  private readonly applied: Counter<'projection'>;
  private readonly deadLettered: Gauge<'projection'>;
  private readonly groups = new Map<string, GroupStatus>();
  private readonly waiters = new ViewWaiters((view, position) => this.reached(view, position));
  private worker: Worker | undefined;
  private stopping = false;
  private unsubscribeCommits: (() => void) | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(CONFIG) private readonly config: Config,
    private readonly registry: MetricsRegistry,
    @Inject(PROJECTION_WORKER_MODULE) private readonly workerModule: URL,
  ) {
    this.applied = new Counter({ name: 'jxc_projection_events_total', help: 'Events applied (delivered and handled) per projection since start', labelNames: ['projection'], registers: [registry] });
    this.deadLettered = new Gauge({ name: 'jxc_projection_dead_letters', help: 'Events a projection skipped after its attempts, recorded in dead_letters', labelNames: ['projection'], registers: [registry] });
    for (const group of PROJECTION_GROUPS) {
      this.groups.set(group.name, { group: group.name, status: 'starting', lastError: null, views: group.views.map((view) => ({ view: view.name, generation: null, position: null })) });
    }
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
    // JXC_WORKERS > 1: only the lease holder projects; src/platform/cluster/checkpoint-follower.ts calls lead() there
    // and followed() in the other processes.
    if (severalProcesses(this.config)) return;
    this.lead();
  }

  /** Starts the projection worker in this process (once). */
  lead(): void {
    if (this.worker || this.stopping || this.unsubscribeCommits) return;
    if (hasCommitNotices(this.events)) this.unsubscribeCommits = this.events.onCommit(() => this.post({ type: 'committed' }));
    else this.unsubscribeCommits = () => undefined;
    this.startWorker();
  }

  /** The views' progress as read from their stored checkpoints, in a process that does not project (cluster/checkpoint-follower.ts). */
  followed(groups: readonly GroupStatus[]): void {
    if (this.worker || this.stopping) return;
    this.received({ type: 'status', groups });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.unsubscribeCommits?.();
    const worker = this.worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      this.post({ type: 'stop' });
      const timeout = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timeout);
    }
    for (const status of this.groups.values()) this.groups.set(status.group, { ...status, status: 'stopped' });
    this.waiters.cancelAll();
    this.logger.log('projection runners stopped');
  }

  /** True once the view has applied `position`; false after `timeoutMs` (or when the service stops). */
  waitFor(view: string, position: string, timeoutMs: number): Promise<boolean> {
    this.viewProgress(view);
    if (this.stopping && !this.reached(view, position)) return Promise.resolve(false);
    return this.waiters.wait(view, position, timeoutMs);
  }

  /** The position the view has applied up to, if any. */
  position(view: string): string | undefined {
    return this.viewProgress(view).position ?? undefined;
  }

  /**
   * Per view. While a group is rebuilt at start-up (its version changed), its views show the generation
   * being built and how far it got, `caughtUp` false (readiness waits for it); reads still get the
   * previous generation meanwhile (`position(view)`).
   */
  async health(): Promise<Record<string, ProjectionHealth>> {
    const head = await this.events.headPosition();
    const result: Record<string, ProjectionHealth> = {};
    for (const status of this.groups.values()) {
      for (const progress of status.views) {
        const view = progress.rebuild ?? progress;
        const position = view.position ?? undefined;
        result[progress.view] = {
          group: status.group,
          status: status.status,
          generation: view.generation,
          position: view.position,
          lag: eventDistance(this.events, position, head) ?? null,
          caughtUp: progress.rebuild === undefined && (head === undefined || (position !== undefined && this.events.comparePositions(position, head) >= 0)),
          deadLetters: this.deadLetters.get(progress.view) ?? 0,
          lastError: status.lastError,
        };
      }
    }
    return result;
  }

  private startWorker(): void {
    const workerData: ProjectionWorkerData = { config: this.config };
    const worker = new Worker(this.workerModule, { workerData, name: 'jxc-projections' });
    this.worker = worker;
    worker.on('message', (message: FromWorker) => this.received(message));
    worker.on('error', (error) => {
      this.logger.error(`projection worker failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.stopping) return;
      this.logger.error(`projection worker exited (code ${code}); starting it again in ${RESTART_AFTER_MS} ms from the checkpoints`);
      for (const status of this.groups.values()) this.groups.set(status.group, { ...status, status: 'retrying', lastError: `worker exited with code ${code}` });
      setTimeout(() => {
        if (!this.stopping) this.startWorker();
      }, RESTART_AFTER_MS).unref();
    });
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private received(message: FromWorker): void {
    switch (message.type) {
      case 'status':
        for (const status of message.groups) this.groups.set(status.group, status);
        this.waiters.wake();
        break;
      case 'applied':
        for (const view of message.views) this.applied.inc({ projection: view }, message.events);
        break;
      case 'dead-lettered':
        this.deadLetters.set(message.view, (this.deadLetters.get(message.view) ?? 0) + 1);
        this.deadLettered.inc({ projection: message.view });
        break;
      case 'log':
        this.logger[message.level](message.message);
        break;
      case 'stopped':
        break;
    }
  }

  private reached(view: string, position: string): boolean {
    const applied = this.viewProgress(view).position;
    return applied !== null && this.events.comparePositions(applied, position) >= 0;
  }

  private viewProgress(view: string): { position: string | null } {
    for (const status of this.groups.values()) {
      const progress = status.views.find((candidate) => candidate.view === view);
      if (progress) return progress;
    }
    throw new Error(`no projection feeds view ${view}`);
  }

  private registerGauges(): void {
    const health = () => this.health();
    const groups = this.groups;
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
        for (const status of groups.values()) this.set({ group: status.group }, status.status === 'running' ? 1 : 0);
      },
    });
  }
}
