import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

import { DomainError } from '../../../domain/index.js';
import { EVENT_STORE, type EventStore, type RecordedEvent, type Subscription } from '../../platform/event-store/event-store.port.js';
import { MetricsRegistry } from '../../platform/metrics/metrics-registry.js';
import { READ_STORE, type ReadStore, type ViewWrite } from '../../platform/read-store/read-store.port.js';
import { type FailedStep, OrderProcessRunner, type ProcessOutcome, type ProcessTrigger } from './order-process-runner.js';
import { orderOfEvent, productOfEvent } from './order-of-event.js';
import { ProductProcessRunner } from '../../stock/product-process-runner.js';
import { readStalledProcesses, shortError, type StalledDocument, stalledKey, type StalledProcess, STALLED_PROCESSES_VIEW } from './stalled-processes.js';

export const PROCESS_CHECKPOINT = 'process-manager:orders';
const BATCH_ORDERS = 64;
const FLUSH_AFTER_MS = 50;
/** The first retry of a failed process (and of a failed subscription) waits this long... */
export const RETRY_FIRST_MS = 250;
/** ...each further failure doubles the wait, up to this (no jitter: the schedule is deterministic). */
export const RETRY_MAX_MS = 30_000;

/** Milliseconds to wait after the `failures`-th failure in a row: 250, 500, 1 000, ... 16 000, then 30 000 for ever. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(Math.max(failures - 1, 0), 16));
}

type ProcessKind = 'order' | 'product';

/** Where a key's run comes from in the log: the first event that asked for it, and the position before it. */
interface Origin {
  /** The checkpoint may not pass this while the process is due; undefined: the start of the log. */
  readonly hold: string | undefined;
  readonly position: string;
}

interface Pending extends Origin {
  readonly trigger: ProcessTrigger;
}

/** A process with a step due after a failure. */
interface Due extends Origin {
  readonly key: string;
  readonly process: ProcessKind;
  readonly id: string;
  trigger: ProcessTrigger;
  hold: string | undefined;
  position: string;
  attempts: number;
  lastError: string;
  step: FailedStep | null;
  since: string;
  nextAttemptAt: number;
}

/** What `POST /api/processes/:orderId/retry` answers. */
export interface RetryResult {
  readonly orderId: string;
  /** `settled`: the order's process has nothing left to do; `stalled`: a step still fails (retried automatically). */
  readonly outcome: 'settled' | 'stalled';
  /** Steps this run appended (settled), else null. */
  readonly steps: number | null;
  readonly step: string | null;
  readonly streamId: string | null;
  readonly error: string | null;
  readonly attempts: number | null;
  readonly nextAttemptAt: string | null;
}

function keyParts(key: string): { process: ProcessKind; id: string } {
  const colon = key.indexOf(':');
  return { process: key.slice(0, colon) as ProcessKind, id: key.slice(colon + 1) };
}

/**
 * The recovery path of the processes: a subscription to the whole log, from a stored checkpoint,
 * that re-runs the process of every order (and product) an event concerns. After a crash it finishes
 * what the inline path left half done; in normal operation it finds nothing to do.
 *
 * A process never gives up. A run that fails (a store error, conflicts beyond the retry budget, a bug)
 * leaves the process due: it is attempted again after 250 ms, doubling up to 30 s, for ever, until it
 * finishes, while the subscription goes on with every other order. The stored checkpoint never passes
 * the position before the first event of a process that is still due, so a restart takes it up again;
 * the due processes are also kept as documents of the `stalled_processes` view (attempts, last error,
 * since), read back on start. A subscription that ends or fails is opened again with the same backoff.
 */
@Injectable()
export class ProcessRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProcessRecovery');
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeSleep: (() => void) | undefined;
  private loaded = false;
  /** Keyed `order:<id>` or `product:<sku>`: runs asked for by events not yet run. */
  private pending = new Map<string, Pending>();
  private pendingUpTo: string | undefined;
  /** The last event the subscription delivered: a new subscription resumes after it. */
  private lastSeen: string | undefined;
  /** Every event up to here has had its processes run (settled, or due). */
  private attemptedUpTo: string | undefined;
  /** Flushes and retries, one after another. */
  private work: Promise<void> = Promise.resolve();
  private persisting: Promise<void> = Promise.resolve();
  private persistQueued = false;
  private persistFailures = 0;
  /** Keys whose `stalled_processes` document is to be written (upserted if due, deleted if not). */
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private persistTimer: NodeJS.Timeout | undefined;
  private checkpoint: string | undefined;
  private readonly due = new Map<string, Due>();
  private subscriptionError: string | null = null;
  private readonly counters = { events: 0, runs: 0, skipped: 0, failures: 0, resubscriptions: 0 };
  private readonly unsubscribeSettled: () => void;

  constructor(
    private readonly runner: OrderProcessRunner,
    private readonly products: ProductProcessRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Optional() registry?: MetricsRegistry,
  ) {
    // A run that settles an order anywhere (inline, a manual retry) ends its stall at once.
    this.unsubscribeSettled = runner.onSettled((orderId) => {
      if (this.settled(stalledKey('order', orderId))) this.persist();
    });
    if (registry) this.registerMetrics(registry);
  }

  onApplicationBootstrap(): void {
    this.loop = this.follow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeSleep?.();
    clearTimeout(this.retryTimer);
    await this.subscription?.close().catch(() => undefined);
    await this.loop;
    this.flush();
    await this.work;
    clearTimeout(this.retryTimer);
    clearTimeout(this.persistTimer);
    this.persist();
    await this.persisting;
    this.unsubscribeSettled();
  }

  /** Position up to which every process is known to have finished (the stored checkpoint). */
  position(): string | undefined {
    return this.checkpoint;
  }

  /** How many orders and products have a step due after a failure. */
  stalledCount(): number {
    return this.due.size;
  }

  /** The orders and products with a step due after a failure, oldest failure first. */
  stalled(): readonly StalledProcess[] {
    return [...this.due.values()]
      .sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.key < b.key ? -1 : 1))
      .map((entry) => this.publicOf(entry));
  }

  stats(): Readonly<{ events: number; runs: number; skipped: number; failures: number; resubscriptions: number; stalled: number; checkpoint: string | null; subscriptionError: string | null }> {
    return { ...this.counters, stalled: this.due.size, checkpoint: this.checkpoint ?? null, subscriptionError: this.subscriptionError };
  }

  /**
   * Runs the order's process now (`POST /api/processes/:orderId/retry`): `settled` when nothing is left
   * to do, else `stalled` with the error (the order stays due and is retried on its schedule).
   */
  async retryNow(orderId: string, trigger: ProcessTrigger): Promise<RetryResult> {
    const states = await this.runner.loadStates(orderId);
    if (states.order.state === null) throw new DomainError('not_found', `no order ${orderId}`, { orderId });
    const key = stalledKey('order', orderId);
    // An order the recovery has not seen fail is held at the current checkpoint until it finishes.
    const origin = this.due.has(key) || this.lastSeen === undefined ? undefined : { hold: this.checkpoint, position: this.lastSeen };
    const outcome = await this.attempt(key, trigger, origin);
    this.persist();
    if (outcome.settled) {
      return { orderId, outcome: 'settled', steps: outcome.run.steps, step: null, streamId: null, error: null, attempts: null, nextAttemptAt: null };
    }
    const entry = this.due.get(key);
    return {
      orderId,
      outcome: 'stalled',
      steps: null,
      step: outcome.step?.command ?? null,
      streamId: outcome.step?.streamId ?? null,
      error: shortError(outcome.error),
      attempts: entry?.attempts ?? null,
      nextAttemptAt: entry ? new Date(entry.nextAttemptAt).toISOString() : null,
    };
  }

  /** Subscribes from the last position taken in (at first: the stored checkpoint); a subscription that ends or fails is opened again with backoff. */
  private async follow(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let opened = Date.now();
      try {
        if (!this.loaded) await this.load();
        if (this.stopping) break;
        opened = Date.now();
        this.subscription = this.store.subscribe({ fromPosition: this.lastSeen });
        for await (const event of this.subscription) {
          failures = 0;
          this.subscriptionError = null;
          await this.accept(event);
        }
        if (this.stopping) break;
        // The store ended it (an EventStoreDB subscription ends when the server restarts).
        throw new Error('the event store ended the subscription');
      } catch (error) {
        await this.subscription?.close().catch(() => undefined);
        if (this.stopping) break;
        if (Date.now() - opened > RETRY_MAX_MS) failures = 0;
        failures++;
        this.counters.resubscriptions++;
        this.subscriptionError = shortError(error);
        const delay = retryDelay(failures);
        this.logger.warn(`${this.loaded ? 'subscription' : 'start'} failed (${this.subscriptionError}); again from ${this.lastSeen ?? 'the start of the log'} in ${delay} ms`);
        await this.sleep(delay);
      }
    }
  }

  /** The stored checkpoint and the stalled processes of the previous run (their attempts go on counting). */
  private async load(): Promise<void> {
    const checkpoint = await this.readStore.getCheckpoint(PROCESS_CHECKPOINT);
    const documents = await readStalledProcesses(this.readStore);
    this.checkpoint = checkpoint;
    this.lastSeen = checkpoint;
    this.attemptedUpTo = checkpoint;
    const now = Date.now();
    for (const document of documents) {
      if (this.due.has(document.id)) continue;
      const { process, id } = keyParts(document.id);
      this.due.set(document.id, {
        key: document.id,
        process,
        id,
        trigger: { correlationId: document.correlationId, causationId: document.causationId, now: '' },
        hold: document.resumeAfter ?? undefined,
        position: document.position,
        attempts: document.attempts,
        lastError: document.lastError,
        step: document.step === null ? null : { command: document.step, streamId: document.streamId ?? '' },
        since: document.since,
        // A restart is a moment to try again.
        nextAttemptAt: now,
      });
    }
    this.loaded = true;
    if (documents.length > 0) this.logger.warn(`${documents.length} stalled process(es) from the previous run: retrying`);
    this.scheduleRetry();
  }

  private async accept(event: RecordedEvent): Promise<void> {
    this.counters.events++;
    const before = this.lastSeen;
    this.lastSeen = event.position;
    const found = orderOfEvent(event);
    // Settled inline with this event already in view: nothing for the recovery path to do.
    const settledInline = found !== undefined && this.runner.hasSettled(found, event.position);
    if (settledInline) this.counters.skipped++;
    const orderId = settledInline ? undefined : found;
    const sku = found === undefined ? productOfEvent(event) : undefined;
    const key = orderId !== undefined ? stalledKey('order', orderId) : sku !== undefined ? stalledKey('product', sku) : undefined;
    if (key !== undefined) {
      const metadata = event.metadata as { correlationId?: string };
      const trigger = { correlationId: metadata.correlationId ?? event.eventId, causationId: event.eventId, now: '' };
      const earlier = this.pending.get(key);
      this.pending.set(key, { trigger, hold: earlier ? earlier.hold : before, position: earlier ? earlier.position : event.position });
    }
    this.pendingUpTo = event.position;
    if (this.pending.size >= BATCH_ORDERS) {
      this.flush();
      await this.work;
    } else {
      this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    }
  }

  /** Runs the pending processes, then stores what can be stored; flushes and retries run one after another. */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending;
    const upTo = this.pendingUpTo;
    if (upTo === undefined) return;
    this.pending = new Map();
    this.pendingUpTo = undefined;
    this.enqueue(async () => {
      for (const [key, pending] of batch) await this.attempt(key, pending.trigger, pending);
      this.attemptedUpTo = upTo;
      this.persist();
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => this.logger.error(`recovery task failed: ${shortError(error)}`));
  }

  /**
   * One run of a process. Settled: its stall (if any) ends. Failed: it is (or stays) due, with its
   * attempts counted and its next attempt scheduled. `origin`: where in the log the run was asked
   * for; without one (a scheduled retry) only an existing stall is updated.
   */
  private async attempt(key: string, trigger: ProcessTrigger, origin: Origin | undefined): Promise<ProcessOutcome<{ steps: number }>> {
    const { process, id } = keyParts(key);
    this.counters.runs++;
    const run = { ...trigger, now: new Date().toISOString() };
    const outcome = process === 'order' ? await this.runner.attempt(id, run) : await this.attemptProduct(id, run);
    if (outcome.settled) {
      this.settled(key);
      return outcome;
    }
    this.counters.failures++;
    const now = Date.now();
    let entry = this.due.get(key);
    if (entry === undefined) {
      if (origin === undefined) return outcome;
      entry = { key, process, id, trigger, hold: origin.hold, position: origin.position, attempts: 0, lastError: '', step: null, since: new Date(now).toISOString(), nextAttemptAt: now };
      this.due.set(key, entry);
    } else if (origin !== undefined && entry.hold !== undefined && (origin.hold === undefined || this.store.comparePositions(origin.hold, entry.hold) < 0)) {
      entry.hold = origin.hold;
      entry.position = origin.position;
    }
    entry.attempts++;
    entry.trigger = trigger;
    entry.lastError = shortError(outcome.error);
    entry.step = outcome.step;
    const delay = retryDelay(entry.attempts);
    entry.nextAttemptAt = now + delay;
    this.dirty.add(key);
    const at = outcome.step ? ` at ${outcome.step.command} on ${outcome.step.streamId}` : ' reading its states';
    this.logger.warn(`${key}: process failed${at} (attempt ${entry.attempts}): ${entry.lastError}; next attempt in ${delay} ms`);
    this.scheduleRetry();
    return outcome;
  }

  private async attemptProduct(sku: string, trigger: ProcessTrigger): Promise<ProcessOutcome<{ steps: number }>> {
    const outcome = await this.products.attempt(sku, trigger);
    // The product's process has one step: it ran when it appended something.
    return outcome.settled ? { settled: true, run: { steps: outcome.run === undefined ? 0 : 1 } } : outcome;
  }

  /** The process has nothing left to do: its stall ends. True when it was stalled. */
  private settled(key: string): boolean {
    const entry = this.due.get(key);
    if (entry === undefined) return false;
    this.due.delete(key);
    this.dirty.add(key);
    this.logger.log(`${key}: process finished after ${entry.attempts} failed attempt(s)`);
    this.scheduleRetry();
    return true;
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.stopping || this.due.size === 0) return;
    let next = Infinity;
    for (const entry of this.due.values()) next = Math.min(next, entry.nextAttemptAt);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.enqueue(() => this.retryDue());
    }, Math.max(0, next - Date.now()));
  }

  private async retryDue(): Promise<void> {
    const now = Date.now();
    const ready = [...this.due.values()].filter((entry) => entry.nextAttemptAt <= now);
    for (const entry of ready) {
      if (this.stopping) break;
      if (this.due.get(entry.key) !== entry) continue;
      await this.attempt(entry.key, entry.trigger, undefined);
    }
    this.scheduleRetry();
    this.persist();
  }

  /** Writes the changed `stalled_processes` documents, then the checkpoint; one write at a time, retried with backoff when the read store fails. */
  private persist(): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (this.persistQueued) return;
    this.persistQueued = true;
    this.persisting = this.persisting
      .then(async () => {
        this.persistQueued = false;
        await this.writeDocuments();
        await this.storeCheckpoint();
        this.persistFailures = 0;
      })
      .catch((error: unknown) => {
        // Nothing is lost: the due processes are in memory and the checkpoint only lags. Tried again.
        this.persistFailures++;
        const delay = retryDelay(this.persistFailures);
        this.logger.error(`could not store the stalled processes or the checkpoint (${shortError(error)}); again in ${delay} ms`);
        if (!this.stopping) this.persistTimer = setTimeout(() => this.persist(), delay);
      });
  }

  private async writeDocuments(): Promise<void> {
    if (this.dirty.size === 0) return;
    const keys = [...this.dirty];
    this.dirty.clear();
    const writes: ViewWrite[] = keys.map((key) => {
      const entry = this.due.get(key);
      return entry ? { type: 'upsert', document: this.documentOf(entry) } : { type: 'delete', id: key };
    });
    try {
      await this.readStore.writeBatch(STALLED_PROCESSES_VIEW.name, writes);
    } catch (error) {
      for (const key of keys) this.dirty.add(key);
      throw error;
    }
  }

  /** The last position every event up to which has had its processes run, but never past a due process's first event. */
  private async storeCheckpoint(): Promise<void> {
    let safe = this.attemptedUpTo;
    if (safe === undefined) return;
    for (const entry of this.due.values()) {
      if (entry.hold === undefined) return;
      if (this.store.comparePositions(entry.hold, safe) < 0) safe = entry.hold;
    }
    if (this.checkpoint !== undefined && this.store.comparePositions(safe, this.checkpoint) <= 0) return;
    await this.readStore.setCheckpoint(PROCESS_CHECKPOINT, safe);
    if (this.checkpoint === undefined || this.store.comparePositions(safe, this.checkpoint) > 0) this.checkpoint = safe;
  }

  private publicOf(entry: Due): StalledProcess {
    return {
      process: entry.process,
      orderId: entry.process === 'order' ? entry.id : null,
      sku: entry.process === 'product' ? entry.id : null,
      step: entry.step?.command ?? null,
      streamId: entry.step?.streamId || null,
      attempts: entry.attempts,
      lastError: entry.lastError,
      since: entry.since,
      nextAttemptAt: new Date(entry.nextAttemptAt).toISOString(),
    };
  }

  private documentOf(entry: Due): StalledDocument {
    return {
      id: entry.key,
      position: entry.position,
      ...this.publicOf(entry),
      resumeAfter: entry.hold ?? null,
      correlationId: entry.trigger.correlationId,
      causationId: entry.trigger.causationId,
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }

  private registerMetrics(registry: MetricsRegistry): void {
    const due = this.due;
    const runner = this.runner;
    const products = this.products;
    if (!registry.getSingleMetric('jxc_processes_stalled')) {
      new Gauge({
        name: 'jxc_processes_stalled',
        help: 'Orders and products whose process has a step due after a failure (retried with backoff until it succeeds)',
        labelNames: ['process'],
        registers: [registry],
        collect() {
          let orders = 0;
          for (const entry of due.values()) if (entry.process === 'order') orders++;
          this.set({ process: 'order' }, orders);
          this.set({ process: 'product' }, due.size - orders);
        },
      });
    }
    if (!registry.getSingleMetric('jxc_processes_step_failures_total')) {
      new Counter({
        name: 'jxc_processes_step_failures_total',
        help: 'Process runs that failed at a step or while reading their states, inline or in recovery, since start',
        labelNames: ['process'],
        registers: [registry],
        collect() {
          this.reset();
          this.inc({ process: 'order' }, runner.stats().failures);
          this.inc({ process: 'product' }, products.stats().failures);
        },
      });
    }
  }
}
