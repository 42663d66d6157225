import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';

import { type ProjectedEvent, type ProjectionGroup } from '../../../projections/index.js';
import { type EventStore, type RecordedEvent, type Subscription } from '../event-store/event-store.port.js';
import { type GenerationRef, generationCheckpointName, type ReadStore } from '../read-store/read-store.port.js';
import { GroupProjector, isUnknownGeneration, messageOf, ProjectionFailure, WriteFailure } from './group-projector.js';
import { projectedOrUnreadable } from './projected-events.js';
import { DEAD_LETTERS, type DeadLetter } from './view-catalog.js';
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

export interface ProjectionRunnerOptions {
  /** Events per batch at most (one write per view per batch). */
  readonly maxBatch?: number;
  /** A batch waits at most this long for more events before it is written. */
  readonly maxDelayMs?: number;
  /** Attempts at one event in one view before it is dead-lettered. */
  readonly maxAttempts?: number;
  readonly cacheSize?: number;
  readonly observer?: RunnerObserver;
  readonly logger?: RunnerLogger;
  /** Time of a dead letter; the runner's clock, not the business's. */
  readonly clock?: () => string;
}

export type RunnerStatus = 'starting' | 'running' | 'retrying' | 'stopped';

export interface ViewProgress {
  readonly view: string;
  readonly generation: string | null;
  readonly position: string | null;
}

const IDLE = Symbol('idle');
const MAX_BACKOFF_MS = 5000;
const quietLogger: RunnerLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

class Stopped extends Error {}

/**
 * Feeds one projection group from the event log, in batches: by count, or as soon as the log has
 * nothing more to give right now (live events are applied within one turn of the event loop),
 * or after `maxDelayMs`. Each view's checkpoint is written with its batch.
 *
 * `follow` (the service): the views' live generations, from their checkpoints, forever; when a
 * rebuild promotes a generation, a write fails with UnknownGeneration and the runner starts again
 * on the new live generations from their checkpoints. `catchUp` (rebuild, verify): given
 * generations, up to the head of the log.
 *
 * A projection that throws on an event is retried, then the event is recorded in `dead_letters`
 * and skipped by that view only. A write the store refuses is retried one event at a time to find
 * the event that causes it. Anything else (the store unreachable) is retried with backoff, forever.
 */
export class ProjectionRunner {
  private projector: GroupProjector | undefined;
  private targets = new Map<string, GenerationRef>();
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private state: RunnerStatus = 'starting';
  private lastError: string | null = null;
  private tick: Promise<typeof IDLE> | undefined;
  private readonly attempts = new Map<string, number>();
  private readonly waiters = new ViewWaiters((view, position) => this.reached(view, position));
  private readonly options: Required<Omit<ProjectionRunnerOptions, 'observer'>> & Pick<ProjectionRunnerOptions, 'observer'>;
  private processed = 0;

  constructor(
    readonly group: ProjectionGroup,
    private readonly events: EventStore,
    private readonly views: ReadStore,
    options: ProjectionRunnerOptions = {},
  ) {
    this.options = {
      maxBatch: options.maxBatch ?? 2000,
      maxDelayMs: options.maxDelayMs ?? 100,
      maxAttempts: options.maxAttempts ?? 3,
      cacheSize: options.cacheSize ?? 20_000,
      logger: options.logger ?? quietLogger,
      clock: options.clock ?? (() => new Date().toISOString()),
      observer: options.observer,
    };
  }

  /** Follows the live generations from their checkpoints until `stop()`. */
  start(): void {
    this.loop ??= this.follow();
  }

  /** Ends the subscription, lets the batch being written finish, and returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.close();
    await this.loop;
    this.state = 'stopped';
    this.waiters.cancelAll();
  }

  /**
   * Projects into the given generations from their checkpoints up to the head of the log (and
   * whatever arrives meanwhile), then returns: a rebuild or a verification.
   */
  async catchUp(
    targets: ReadonlyMap<string, GenerationRef>,
    onProgress?: (events: number, position: string) => void,
    until?: string,
  ): Promise<{ events: number; position: string | undefined }> {
    await this.resolve(targets);
    let head = until ?? (await this.events.headPosition());
    let from = this.projector!.resumePosition();
    while (head !== undefined && (from === undefined || this.events.comparePositions(from, head) < 0)) {
      for (;;) {
        try {
          const reader = this.events.readAll({ fromPosition: from });
          await this.consume(reader, head, onProgress);
          break;
        } catch (error) {
          if (error instanceof Stopped || isUnknownGeneration(error)) throw error;
          await this.backoff(error);
          await this.resolve(targets);
          from = this.projector!.resumePosition();
        }
      }
      from = this.projector!.resumePosition();
      head = until ?? (await this.events.headPosition());
    }
    return { events: this.processed, position: this.projector!.resumePosition() };
  }

  status(): { group: string; status: RunnerStatus; lastError: string | null; views: ViewProgress[] } {
    return {
      group: this.group.name,
      status: this.state,
      lastError: this.lastError,
      views: this.group.views.map((view) => ({
        view: view.name,
        generation: this.targets.get(view.name)?.generation ?? null,
        position: this.projector?.checkpoint(view.name) ?? null,
      })),
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




  private async follow(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.resolve();
        if (this.stopping) break;
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
          this.options.logger.log(`${this.group.name}: a view's generation was promoted; following the live generations`);
          continue;
        }
        await this.backoff(error).catch(() => undefined);
      }
    }
    this.state = 'stopped';
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
    this.projector = new GroupProjector(this.group, this.views, (a, b) => this.events.comparePositions(a, b), targets, checkpoints, { cacheSize: this.options.cacheSize });
    this.waiters.wake();
  }

  /** Reads events into batches and writes them; `until`: stop after that position (catch-up). */
  private async consume(source: AsyncIterable<RecordedEvent>, until: string | undefined, onProgress?: (events: number, position: string) => void): Promise<void> {
    const iterator = source[Symbol.asyncIterator]();
    let pending = iterator.next();
    let batch: ProjectedEvent[] = [];
    let batchStarted = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const written = batch;
      batch = [];
      await this.write(written);
      onProgress?.(this.processed, written[written.length - 1].position);
      // Catching up never leaves the event loop on its own (the embedded store answers synchronously): let requests in.
      await yieldToEventLoop();
    };
    try {
      for (;;) {
        const next = batch.length === 0 ? await pending : await Promise.race([pending, this.idle()]);
        if (next === IDLE) {
          await flush();
          continue;
        }
        if (next.done) break;
        pending = iterator.next();
        if (batch.length === 0) batchStarted = Date.now();
        batch.push(projectedOrUnreadable(next.value));
        const reachedEnd = until !== undefined && this.events.comparePositions(next.value.position, until) >= 0;
        if (reachedEnd || batch.length >= this.options.maxBatch || Date.now() - batchStarted >= this.options.maxDelayMs) await flush();
        if (reachedEnd) break;
      }
      await flush();
    } finally {
      // Not awaited: a live subscription's generator may be waiting for the next commit; closing the subscription ends it.
      void iterator.return?.()?.catch(() => undefined);
    }
  }

  /** One event loop turn from now: a batch is written when the log has nothing more to give right away. */
  private idle(): Promise<typeof IDLE> {
    this.tick ??= new Promise((resolve) =>
      setImmediate(() => {
        this.tick = undefined;
        resolve(IDLE);
      }),
    );
    return this.tick;
  }

  private async write(batch: readonly ProjectedEvent[]): Promise<void> {
    const started = performance.now();
    await this.project(batch);
    this.processed += batch.length;
    this.attempts.delete('');
    this.state = 'running';
    this.lastError = null;
    this.options.observer?.batchWritten?.(this.group.name, this.group.views.map((view) => view.name), batch.length, (performance.now() - started) / 1000);
    this.waiters.wake();
  }

  private async project(batch: readonly ProjectedEvent[]): Promise<void> {
    for (;;) {
      if (this.stopping && this.loop !== undefined) throw new Stopped();
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
          await this.backoff(error);
        }
      }
    }
  }

  /** Counts an attempt at the event in the view; the last one records a dead letter and skips the event there. */
  private async failedOn(view: string, event: ProjectedEvent, error: Error): Promise<void> {
    const key = `${view}@${event.position}`;
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempts);
    const cause = error instanceof ProjectionFailure || error instanceof WriteFailure ? error.cause : error;
    if (attempts < this.options.maxAttempts) {
      this.options.logger.warn(`${view}: attempt ${attempts} at ${event.type} (${event.streamId}@${event.revision}, position ${event.position}) failed: ${messageOf(cause)}`);
      await sleep(50 * attempts);
      return;
    }
    const letter: DeadLetter = {
      id: key,
      position: event.position,
      projection: view,
      group: this.group.name,
      streamId: event.streamId,
      revision: event.revision,
      type: event.type,
      error: messageOf(cause),
      attempts,
      at: this.options.clock(),
      occurredAt: event.metadata.occurredAt ?? null,
    };
    await this.views.writeBatch(DEAD_LETTERS.name, [{ type: 'upsert', document: { ...letter } }]);
    this.projector!.skip(view, event.position);
    this.attempts.delete(key);
    this.options.logger.error(`${view}: dead-lettered ${event.type} (${event.streamId}@${event.revision}, position ${event.position}) after ${attempts} attempts: ${letter.error}`);
    this.options.observer?.deadLettered?.(view, letter);
  }

  private async backoff(error: unknown): Promise<void> {
    this.state = 'retrying';
    this.lastError = messageOf(error instanceof WriteFailure ? error.cause : error);
    const failures = (this.attempts.get('') ?? 0) + 1;
    this.attempts.set('', failures);
    this.options.logger.warn(`${this.group.name}: ${this.lastError}; retrying`);
    await sleep(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 6)));
    if (this.stopping && this.loop !== undefined) throw new Stopped();
  }
}
