import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';

import { DomainError } from '../../../domain/index.js';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { Leadership } from '../../platform/cluster/leadership.js';
import { MetricsRegistry } from '../../platform/metrics/metrics-registry.js';
import { READ_STORE, type ReadStore } from '../../platform/read-store/read-store.port.js';
import { ProductProcessRunner } from '../../stock/product-process-runner.js';
import { DueProcesses } from './due-processes.js';
import { OrderProcessRunner, type ProcessOutcome, type ProcessTrigger } from './order-process-runner.js';
import { runKeyOf } from './order-of-event.js';
import { PendingRuns, type RunBatch } from './pending-runs.js';
import { registerProcessMetrics } from './recovery-metrics.js';
import { RecoveryPersistence } from './recovery-persistence.js';
import { ResubscribingFollower } from './recovery-subscription.js';
import { type RetryResult, retryResultOf } from './retry-result.js';
import { dueOf, keyParts, type Origin, publicOf, readStalledProcesses, shortError, stalledKey, type StalledProcess } from './stalled-processes.js';

/** How often a process that does not lead reads the stalled processes the leader stored. */
const FOLLOWER_STALLED_EVERY_MS = 1000;

// The controller's answer type, where the controller has always found it.

/**
 * The recovery path of the processes: a subscription to the whole log, from a stored checkpoint,
 * that re-runs the process of every order (and product) an event concerns. After a crash it finishes
 * what the inline path left half done; in normal operation it finds nothing to do.
 *
 * A process never gives up. A run that fails (a store error, conflicts beyond the retry budget, a bug)
 * leaves the process due (due-processes.ts): it is attempted again after 250 ms, doubling up to 30 s,
 * for ever, until it finishes, while the subscription goes on with every other order. The stored
 * checkpoint never passes the position before the first event of a process that is still due
 * (recovery-checkpoint.ts), so a restart takes it up again; the due processes are also kept as
 * documents of the `stalled_processes` view (recovery-persistence.ts), read back on start. A
 * subscription that ends or fails is opened again with the same backoff (recovery-subscription.ts).
 */
@Injectable()
export class ProcessRecovery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProcessRecovery');
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** The last event the subscription delivered: a new subscription resumes after it. */
  private lastSeen: string | undefined;
  /** Every event up to here has had its processes run (settled, or due). */
  private attemptedUpTo: string | undefined;
  /** Batches and retries, one after another. */
  private work: Promise<void> = Promise.resolve();
  private readonly due: DueProcesses;
  private readonly pending = new PendingRuns((batch) => this.enqueue(() => this.runBatch(batch)));
  private readonly persistence: RecoveryPersistence;
  private readonly follower: ResubscribingFollower;
  private readonly counters = { events: 0, runs: 0, skipped: 0, failures: 0 };
  private readonly unsubscribeSettled: () => void;
  /** Set while this process follows another that leads (JXC_WORKERS > 1): the stalled processes that one stored. */
  private followerView: { stalled: StalledProcess[]; timer: NodeJS.Timeout | undefined } | undefined;

  constructor(
    private readonly runner: OrderProcessRunner,
    private readonly products: ProductProcessRunner,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Optional() registry?: MetricsRegistry,
    @Optional() private readonly leadership?: Leadership,
  ) {
    const compare = (a: string, b: string) => store.comparePositions(a, b);
    this.due = new DueProcesses(compare, () => this.enqueue(() => this.retryDue()));
    this.persistence = new RecoveryPersistence(readStore, this.due, () => this.attemptedUpTo, compare, this.logger);
    this.follower = new ResubscribingFollower(store, this.logger, { load: () => this.load(), from: () => this.lastSeen, accept: (event) => this.accept(event) });
    // A run that settles an order anywhere (inline, a manual retry) ends its stall at once.
    this.unsubscribeSettled = runner.onSettled((orderId) => {
      if (this.settled(stalledKey('order', orderId))) this.persistence.persist();
    });
    if (registry) registerProcessMetrics(registry, this.due, () => ({ order: runner.stats().failures, product: products.stats().failures }));
  }

  onApplicationBootstrap(): void {
    // With several processes (JXC_WORKERS > 1) only the lease holder follows the log (platform/cluster/leadership.ts).
    const start = () => {
      if (this.followerView) clearTimeout(this.followerView.timer);
      this.followerView = undefined;
      if (!this.stopping) this.loop ??= this.follower.run();
    };
    if (this.leadership && !this.leadership.isLeader()) this.followStalled();
    if (this.leadership) this.leadership.whenLeading(start);
    else start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.followerView) clearTimeout(this.followerView.timer);
    this.due.stop();
    this.persistence.stop();
    await this.follower.stop();
    await this.loop;
    this.pending.flush();
    await this.work;
    this.persistence.persist();
    await this.persistence.flushed();
    this.unsubscribeSettled();
  }

  /** Position up to which every process is known to have finished (the stored checkpoint). */
  position(): string | undefined {
    return this.persistence.checkpoint();
  }

  /** How many orders and products have a step due after a failure. */
  stalledCount(): number {
    return this.followerView?.stalled.length ?? this.due.size;
  }

  /** The orders and products with a step due after a failure, oldest failure first. */
  stalled(): readonly StalledProcess[] {
    return this.followerView?.stalled ?? this.due.list();
  }

  /**
   * JXC_WORKERS > 1, in a process that does not lead: the leader's stalled processes as it stores them
   * (`stalled_processes`), read every FOLLOWER_STALLED_EVERY_MS, for GET /api/processes/stalled and /api/health.
   */
  private followStalled(): void {
    const view = { stalled: [] as StalledProcess[], timer: undefined as NodeJS.Timeout | undefined };
    this.followerView = view;
    const read = async () => {
      try {
        const now = Date.now();
        const documents = await readStalledProcesses(this.readStore);
        if (this.followerView === view) view.stalled = documents.map((document) => publicOf(dueOf(document, now)));
      } catch (error) {
        this.logger.warn(`could not read the stalled processes: ${shortError(error)}`);
      }
      if (this.followerView === view && !this.stopping) view.timer = setTimeout(() => void read(), FOLLOWER_STALLED_EVERY_MS);
    };
    void read();
  }

  stats(): Readonly<{ events: number; runs: number; skipped: number; failures: number; resubscriptions: number; stalled: number; checkpoint: string | null; subscriptionError: string | null }> {
    return { ...this.counters, ...this.follower.stats(), stalled: this.due.size, checkpoint: this.persistence.checkpoint() ?? null };
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
    const origin = this.due.has(key) || this.lastSeen === undefined ? undefined : { hold: this.persistence.checkpoint(), position: this.lastSeen };
    const outcome = await this.attempt(key, trigger, origin);
    this.persistence.persist();
    return retryResultOf(orderId, outcome, this.due.get(key));
  }

  /** The stored checkpoint and the stalled processes of the previous run (their attempts go on counting). */
  private async load(): Promise<void> {
    const checkpoint = await this.persistence.load();
    const documents = await readStalledProcesses(this.readStore);
    this.lastSeen = checkpoint;
    this.attemptedUpTo = checkpoint;
    this.due.restore(documents, Date.now());
    if (documents.length > 0) this.logger.warn(`${documents.length} stalled process(es) from the previous run: retrying`);
  }

  private async accept(event: RecordedEvent): Promise<void> {
    this.counters.events++;
    const before = this.lastSeen;
    this.lastSeen = event.position;
    const { key, settledInline } = runKeyOf(event, (orderId) => this.runner.hasSettled(orderId, event.position));
    if (settledInline) this.counters.skipped++;
    if (this.pending.add(event, key, before)) await this.work;
  }

  /** Runs a batch's processes, then stores what can be stored. */
  private async runBatch({ runs, upTo }: RunBatch): Promise<void> {
    for (const [key, pending] of runs) await this.attempt(key, pending.trigger, pending);
    this.attemptedUpTo = upTo;
    this.persistence.persist();
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
    const recorded = this.due.failed(key, trigger, origin, outcome, Date.now());
    if (recorded) {
      const at = outcome.step ? ` at ${outcome.step.command} on ${outcome.step.streamId}` : ' reading its states';
      this.logger.warn(`${key}: process failed${at} (attempt ${recorded.entry.attempts}): ${recorded.entry.lastError}; next attempt in ${recorded.delay} ms`);
    }
    return outcome;
  }

  private async attemptProduct(sku: string, trigger: ProcessTrigger): Promise<ProcessOutcome<{ steps: number }>> {
    const outcome = await this.products.attempt(sku, trigger);
    // The product's process has one step: it ran when it appended something.
    return outcome.settled ? { settled: true, run: { steps: outcome.run === undefined ? 0 : 1 } } : outcome;
  }

  /** The process has nothing left to do: its stall ends. True when it was stalled. */
  private settled(key: string): boolean {
    const entry = this.due.settled(key);
    if (entry === undefined) return false;
    this.logger.log(`${key}: process finished after ${entry.attempts} failed attempt(s)`);
    return true;
  }

  private async retryDue(): Promise<void> {
    for (const { entry, current } of this.due.ready(Date.now())) {
      if (this.stopping) break;
      if (!current()) continue;
      await this.attempt(entry.key, entry.trigger, undefined);
    }
    this.due.schedule();
    this.persistence.persist();
  }
}
