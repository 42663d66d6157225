import { type ProjectedEvent, type ProjectionGroup } from '../../../projections/index.js';
import { type EventStore, type RecordedEvent, type Subscription } from '../event-store/event-store.port.js';
import { PromotionConflict } from '../read-store/errors.js';
import { type GenerationRef, generationCheckpointName, type ReadStore } from '../read-store/read-store.port.js';
import { Backoff } from './backoff.js';
import { EventBatches } from './batches.js';
import { DeadLettering } from './dead-lettering.js';
import { GroupProjector, isUnknownGeneration, messageOf, ProjectionFailure, WriteFailure } from './group-projector.js';
import { describeStale, rebuiltElsewhere, type StaleView, staleViews, VersionMismatch } from './group-version.js';
import type { RebuildOptions, RebuildResult } from './rebuild.js';
import { type DeadLetter } from './view-catalog.js';
import { ViewWaiters } from './view-waiters.js';

export interface RunnerObserver {
  /** A batch was written: `events` delivered to the group, each view now at `position`. */
  batchWritten?(group: string, views: readonly string[], events: number, seconds: number): void;
  deadLettered?(view: string, letter: DeadLetter): void;
}

export interface RunnerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Events per batch by default. Only a runner behind the log fills a batch (live events are written at the first idle
 * turn or after maxDelayMs), so this sizes catch-ups: the larger the batch, the more of an order's or a stock
 * position's events fold into one write of its document, and the fewer transactions. Measured 2026-12-04 on the
 * bench's logs, every group through one shared read: 100k events 6.6 s with 2,000, 6.0 with 4,000, 5.6 with 6,000,
 * 5.4 with 8,000, 5.3 with 16,000 (peak RSS 435 MB up to 8,000, 519 MB at 16,000); 1M events 96.8 s against 73.3 s
 * (2,000 against 8,000), peak RSS 815 MB both.
 */
const MAX_BATCH = 8000;
/**
 * A catch-up without an end position reads on to the new head at most this many times (see catchUp). Each round reads
 * what arrived during the one before, so rounds shrink while the catch-up outpaces the appends.
 */
const CATCH_UP_ROUNDS = 8;

export interface ProjectionRunnerOptions {
  /** Events per batch at most (one write per view per batch). */
  readonly maxBatch?: number;
  /** A batch waits at most this long for more events before it is written. */
  readonly maxDelayMs?: number;
  /** Attempts at one event in one view before it is dead-lettered. */
  readonly maxAttempts?: number;
  /** Bytes of documents (as JSON) each view keeps in memory between batches (document-cache.ts). */
  readonly cacheBytes?: number;
  readonly observer?: RunnerObserver;
  readonly logger?: RunnerLogger;
  /** Time of a dead letter; the runner's clock, not the business's. */
  readonly clock?: () => string;
  /**
   * How `follow` rebuilds its group when it starts on live generations built at another version of the
   * group's projections (group-version.ts); the worker passes rebuild.ts `rebuildGroup`. Without it such
   * a group is not followed (status `retrying`, VersionMismatch).
   */
  readonly rebuild?: GroupRebuild;
  /** Ends `catchUp` between batches (a rebuild interrupted by a shutdown). */
  readonly signal?: AbortSignal;
}

export type GroupRebuild = (group: ProjectionGroup, options: RebuildOptions) => Promise<RebuildResult>;

export type RunnerStatus = 'starting' | 'running' | 'retrying' | 'stopped';

export interface ViewProgress {
  readonly view: string;
  /** The live generation the runner follows (what readers get) and its checkpoint. */
  readonly generation: string | null;
  readonly position: string | null;
  /** While the group is rebuilt at start-up (its version changed): the fresh generation and how far it got. */
  readonly rebuild?: { readonly generation: string | null; readonly position: string | null };
}

const quietLogger: RunnerLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

class Stopped extends Error {}

/** Another process promoted a rebuild of the group at this version before this one could. */
class RebuiltElsewhere extends Error {}

/**
 * Feeds one projection group from the event log, in batches (batches.ts): by count, or as soon as
 * the log has nothing more to give right now (live events are applied within one turn of the event
 * loop), or after `maxDelayMs`. Each view's checkpoint is written with its batch.
 *
 * `follow` (the service): the views' live generations, from their checkpoints, forever; when a
 * rebuild promotes a generation, a write fails with UnknownGeneration and the runner starts again
 * on the new live generations from their checkpoints. `catchUp` (rebuild, verify): given
 * generations, up to the head of the log.
 *
 * A projection that throws on an event is retried, then the event is recorded in `dead_letters`
 * and skipped by that view only (dead-lettering.ts). A write the store refuses is retried one event
 * at a time to find the event that causes it. Anything else (the store unreachable) is retried with
 * backoff (backoff.ts), forever.
 */
export class ProjectionRunner {
  private projector: GroupProjector | undefined;
  private targets = new Map<string, GenerationRef>();
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private state: RunnerStatus = 'starting';
  private lastError: string | null = null;
  private readonly waiters = new ViewWaiters((view, position) => this.reached(view, position));
  private readonly batches: EventBatches;
  private readonly maxBatch: number;
  private readonly backoff = new Backoff();
  private readonly deadLettering: DeadLettering;
  private readonly logger: RunnerLogger;
  private readonly cacheBytes: number | undefined;
  private readonly observer: RunnerObserver | undefined;
  private readonly abort = new AbortController();
  private readonly signal: AbortSignal;
  private readonly rebuild: GroupRebuild | undefined;
  private rebuilding: { generations: ReadonlyMap<string, GenerationRef>; position: string | null } | undefined;
  private processed = 0;

  constructor(
    readonly group: ProjectionGroup,
    private readonly events: EventStore,
    private readonly views: ReadStore,
    options: ProjectionRunnerOptions = {},
  ) {
    this.logger = options.logger ?? quietLogger;
    this.cacheBytes = options.cacheBytes;
    this.observer = options.observer;
    this.rebuild = options.rebuild;
    this.signal = options.signal === undefined ? this.abort.signal : AbortSignal.any([options.signal, this.abort.signal]);
    this.maxBatch = options.maxBatch ?? MAX_BATCH;
    this.batches = new EventBatches({ maxBatch: this.maxBatch, maxDelayMs: options.maxDelayMs ?? 100, compare: (a, b) => events.comparePositions(a, b) });
    this.deadLettering = new DeadLettering(group.name, views, {
      maxAttempts: options.maxAttempts ?? 3,
      clock: options.clock ?? (() => new Date().toISOString()),
      logger: this.logger,
      deadLettered: (view, letter) => this.observer?.deadLettered?.(view, letter),
    });
  }

  /** Follows the live generations from their checkpoints until `stop()`. */
  start(): void {
    this.loop ??= this.follow();
  }

  /** Ends the subscription, lets the batch being written finish, and returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.subscription?.close();
    await this.loop;
    this.state = 'stopped';
    this.waiters.cancelAll();
  }

  /**
   * Projects into the given generations from their checkpoints up to the head of the log, then returns: a rebuild or
   * a verification. Without `until`, it reads on to the new head while the log grew meanwhile, as long as each round
   * still had a batch or more to read and for CATCH_UP_ROUNDS rounds at most: under a steady stream of appends there is
   * always more, and a rebuild would never end. What arrives after is the following runner's (it resumes from the
   * checkpoints).
   */
  async catchUp(
    targets: ReadonlyMap<string, GenerationRef>,
    onProgress?: (events: number, position: string) => void,
    until?: string,
  ): Promise<{ events: number; position: string | undefined }> {
    await this.resolve(targets);
    let head = until ?? (await this.events.headPosition());
    let from = this.projector!.resumePosition();
    for (let round = 1; head !== undefined && (from === undefined || this.events.comparePositions(from, head) < 0); round++) {
      const before = this.processed;
      for (;;) {
        try {
          const reader = this.events.readAll({ fromPosition: from });
          await this.consume(reader, head, onProgress);
          break;
        } catch (error) {
          if (error instanceof Stopped || isUnknownGeneration(error)) throw error;
          await this.retryLater(error);
          await this.resolve(targets);
          from = this.projector!.resumePosition();
        }
      }
      from = this.projector!.resumePosition();
      if (until === undefined && (round >= CATCH_UP_ROUNDS || this.processed - before < this.maxBatch)) break;
      head = until ?? (await this.events.headPosition());
    }
    return { events: this.processed, position: this.projector!.resumePosition() };
  }

  status(): { group: string; status: RunnerStatus; lastError: string | null; views: ViewProgress[] } {
    return {
      group: this.group.name,
      status: this.state,
      lastError: this.lastError,
      views: this.group.views.map((view) => {
        const rebuilding = this.rebuilding;
        return {
          view: view.name,
          generation: this.targets.get(view.name)?.generation ?? null,
          position: this.projector?.checkpoint(view.name) ?? null,
          ...(rebuilding ? { rebuild: { generation: rebuilding.generations.get(view.name)?.generation ?? null, position: rebuilding.position } } : {}),
        };
      }),
    };
  }

  /** The position up to which the view holds every event (its checkpoint), if it has one. */
  position(view: string): string | undefined {
    return this.projector?.checkpoint(view);
  }

  /** Resolves true once the view has applied `position`, false after `timeoutMs` (or when the runner stops). */
  waitFor(view: string, position: string, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(view, position, timeoutMs);
  }

  private reached(view: string, position: string): boolean {
    const applied = this.projector?.checkpoint(view);
    return applied !== undefined && this.events.comparePositions(applied, position) >= 0;
  }

  /**
   * Until the runner has followed the log once, live generations built at another version of the group
   * are rebuilt (once); after that (another process promoted them) they are not followed, so that two
   * processes of different versions never rebuild in turn: see VersionMismatch.
   */
  private async follow(): Promise<void> {
    let mayRebuild = this.rebuild !== undefined;
    while (!this.stopping) {
      try {
        const rebuilt = (await this.resolveLive(mayRebuild)) === 'rebuilt';
        mayRebuild = false;
        if (this.stopping) break;
        if (rebuilt) continue;
        this.subscription = this.events.subscribe({ fromPosition: this.projector!.resumePosition() });
        this.state = 'running';
        this.lastError = null;
        await this.consume(this.subscription, undefined);
        // The subscription ended: stopped, or the event store closed.
        break;
      } catch (error) {
        await this.subscription?.close();
        if (this.stopping || error instanceof Stopped) break;
        if (isUnknownGeneration(error)) {
          this.logger.log(`${this.group.name}: a view's generation was promoted; following the live generations`);
          continue;
        }
        await this.retryLater(error).catch(() => undefined);
      }
    }
    this.state = 'stopped';
  }

  /**
   * Resolves the live generations; when they were built at another version of the group, rebuilds it
   * first ('rebuilt') if `mayRebuild`, else throws VersionMismatch.
   */
  private async resolveLive(mayRebuild: boolean): Promise<'follow' | 'rebuilt'> {
    this.rebuilding = undefined;
    const live = new Map<string, GenerationRef>();
    for (const view of this.group.views) live.set(view.name, { view: view.name, generation: await this.views.liveGeneration(view.name) });
    const stale = await staleViews(this.views, this.group, live);
    // Marked before the stale checkpoints show, so that nothing takes them for caught up (readiness).
    if (stale.length > 0 && mayRebuild) this.rebuilding = { generations: new Map(), position: null };
    await this.resolve(live);
    if (stale.length === 0) return 'follow';
    if (!mayRebuild) throw new VersionMismatch(this.group, stale);
    await this.upgrade(stale);
    return 'rebuilt';
  }

  /**
   * Rebuilds the group (rebuild.ts) from the start of the log into fresh generations while the live ones
   * keep serving, then promotes them, unless another process promoted a rebuild at this version meanwhile.
   */
  private async upgrade(stale: readonly StaleView[]): Promise<void> {
    const { name, version } = this.group;
    this.logger.warn(`${name}: ${describeStale(stale)}; this service projects version ${version}: rebuilding ${name} from the start of the log into fresh generations, the live ones serve meanwhile`);
    this.state = 'starting';
    const live = new Map(this.targets);
    try {
      const result = await this.rebuild!(this.group, {
        logger: this.logger,
        signal: this.signal,
        onGenerations: (generations) => (this.rebuilding = { generations, position: null }),
        onProgress: ({ position }) => {
          if (this.rebuilding) this.rebuilding.position = position;
        },
        beforePromote: async () => {
          if (await rebuiltElsewhere(this.views, this.group, live)) throw new RebuiltElsewhere();
        },
      });
      const promoted = result.views.map((view) => `${view.view} ${view.previous} -> ${view.promoted}`).join(', ');
      this.logger.log(`${name}: rebuilt at version ${version} (${result.events} events in ${result.seconds.toFixed(1)} s); promoted ${promoted}`);
    } catch (error) {
      // RebuiltElsewhere: found before promoting; PromotionConflict with `replacing`: another rebuild's promotion came first.
      const elsewhere = error instanceof RebuiltElsewhere || (error instanceof PromotionConflict && error.replacing !== undefined);
      if (!elsewhere) throw this.signal.aborted ? new Stopped() : error;
      this.logger.log(`${name}: another process promoted a rebuild at version ${version} meanwhile; following it`);
    } finally {
      this.rebuilding = undefined;
    }
  }

  /** Live generations (or the given ones) and their checkpoints; a fresh projector (empty caches). */
  private async resolve(given?: ReadonlyMap<string, GenerationRef>): Promise<void> {
    const targets = new Map<string, GenerationRef>();
    const checkpoints = new Map<string, string | undefined>();
    for (const view of this.group.views) {
      const target = given?.get(view.name) ?? { view: view.name, generation: await this.views.liveGeneration(view.name) };
      targets.set(view.name, target);
      checkpoints.set(view.name, await this.views.getCheckpoint(generationCheckpointName(target)));
    }
    this.targets = targets;
    this.projector = new GroupProjector(this.group, this.views, (a, b) => this.events.comparePositions(a, b), targets, checkpoints, { cacheBytes: this.cacheBytes });
    this.waiters.wake();
  }

  /** Reads events into batches and writes them; `until`: stop after that position (catch-up). */
  private consume(source: AsyncIterable<RecordedEvent>, until: string | undefined, onProgress?: (events: number, position: string) => void): Promise<void> {
    return this.batches.consume(source, until, async (batch) => {
      await this.write(batch);
      onProgress?.(this.processed, batch[batch.length - 1].position);
    });
  }

  private async write(batch: readonly ProjectedEvent[]): Promise<void> {
    const started = performance.now();
    await this.project(batch);
    this.processed += batch.length;
    this.backoff.succeeded();
    this.state = 'running';
    this.lastError = null;
    this.observer?.batchWritten?.(this.group.name, this.group.views.map((view) => view.name), batch.length, (performance.now() - started) / 1000);
    this.waiters.wake();
  }

  private async project(batch: readonly ProjectedEvent[]): Promise<void> {
    for (;;) {
      if (this.interrupted()) throw new Stopped();
      try {
        await this.projector!.project(batch);
        return;
      } catch (error) {
        if (isUnknownGeneration(error)) throw error;
        const pinned = error instanceof ProjectionFailure && error.event !== undefined;
        const refused = error instanceof ProjectionFailure || (error instanceof WriteFailure && error.deterministic);
        if (pinned) {
          await this.failedOn(error.view, error.event!, error);
        } else if (refused && batch.length > 1) {
          // Which event? One at a time finds it; the others go through.
          for (const event of batch) await this.project([event]);
          return;
        } else if (refused) {
          await this.failedOn((error as ProjectionFailure | WriteFailure).view, batch[0], error);
        } else {
          await this.retryLater(error);
        }
      }
    }
  }

  /** Counts an attempt at the event in the view; the last one records a dead letter and skips the event there. */
  private async failedOn(view: string, event: ProjectedEvent, error: Error): Promise<void> {
    if (await this.deadLettering.failedOn(view, event, error)) this.projector!.skip(view, event.position);
  }

  private async retryLater(error: unknown): Promise<void> {
    this.state = 'retrying';
    this.lastError = messageOf(error instanceof WriteFailure ? error.cause : error);
    this.logger.warn(`${this.group.name}: ${this.lastError}; retrying`);
    await this.backoff.afterFailure();
    if (this.interrupted()) throw new Stopped();
  }

  /** `stop()` of a following runner, or the signal of a catch-up. */
  private interrupted(): boolean {
    return (this.stopping && this.loop !== undefined) || (this.loop === undefined && this.signal.aborted);
  }
}
