import { type ViewWrite } from '../../platform/read-store/read-store.port.js';
import { type FailedStep, type ProcessTrigger } from './order-process-runner.js';
import { retryDelay } from './retry-schedule.js';
import { type Due, documentOf, dueOf, keyParts, type Origin, type ProcessKind, publicOf, shortError, type StalledDocument, type StalledProcess } from './stalled-processes.js';

/** A failed run, as the due list records it. */
export interface Failure {
  readonly error: unknown;
  readonly step: FailedStep | null;
}

/**
 * The processes (keyed `order:<id>` or `product:<sku>`) with a step due after a failure: attempts,
 * last error, the next attempt on the retry schedule (one timer for the earliest), and which of
 * their `stalled_processes` documents are to be written.
 */
export class DueProcesses {
  private readonly due = new Map<string, Due>();
  /** Keys whose `stalled_processes` document is to be written (upserted if due, deleted if not). */
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `retryDue`: called when the earliest next attempt is due. */
  constructor(
    private readonly compare: (a: string, b: string) => number,
    private readonly retryDue: () => void,
  ) {}

  get size(): number {
    return this.due.size;
  }

  has(key: string): boolean {
    return this.due.has(key);
  }

  get(key: string): Readonly<Due> | undefined {
    return this.due.get(key);
  }

  /** The due processes of the previous run (their attempts go on counting); a restart is a moment to try again. */
  restore(documents: readonly StalledDocument[], now: number): void {
    for (const document of documents) if (!this.due.has(document.id)) this.due.set(document.id, dueOf(document, now));
    this.schedule();
  }

  /**
   * A run failed: the process is (or stays) due, its attempts counted and its next attempt scheduled.
   * `origin`: where in the log the run was asked for; without one (a scheduled retry) only an existing
   * entry is updated. Undefined when nothing was recorded.
   */
  failed(key: string, trigger: ProcessTrigger, origin: Origin | undefined, failure: Failure, now: number): { entry: Readonly<Due>; delay: number } | undefined {
    let entry = this.due.get(key);
    if (entry === undefined) {
      if (origin === undefined) return undefined;
      const { process, id } = keyParts(key);
      entry = { key, process, id, trigger, hold: origin.hold, position: origin.position, attempts: 0, lastError: '', step: null, since: new Date(now).toISOString(), nextAttemptAt: now };
      this.due.set(key, entry);
    } else if (origin !== undefined && entry.hold !== undefined && (origin.hold === undefined || this.compare(origin.hold, entry.hold) < 0)) {
      entry.hold = origin.hold;
      entry.position = origin.position;
    }
    entry.attempts++;
    entry.trigger = trigger;
    entry.lastError = shortError(failure.error);
    entry.step = failure.step;
    const delay = retryDelay(entry.attempts);
    entry.nextAttemptAt = now + delay;
    this.dirty.add(key);
    this.schedule();
    return { entry, delay };
  }

  /** The process has nothing left to do: its entry (if any) is removed and returned. */
  settled(key: string): Readonly<Due> | undefined {
    const entry = this.due.get(key);
    if (entry === undefined) return undefined;
    this.due.delete(key);
    this.dirty.add(key);
    this.schedule();
    return entry;
  }

  /** The entries whose next attempt is due at `now`, each with a check that it is still the same stall. */
  ready(now: number): { entry: Readonly<Due>; current: () => boolean }[] {
    return [...this.due.values()].filter((entry) => entry.nextAttemptAt <= now).map((entry) => ({ entry, current: () => this.due.get(entry.key) === entry }));
  }

  /** Sets the timer for the earliest next attempt (none when nothing is due or after `stop`). */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped || this.due.size === 0) return;
    let next = Infinity;
    for (const entry of this.due.values()) next = Math.min(next, entry.nextAttemptAt);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retryDue();
    }, Math.max(0, next - Date.now()));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Where each due process holds the checkpoint (undefined: the start of the log). */
  holds(): Iterable<string | undefined> {
    return [...this.due.values()].map((entry) => entry.hold);
  }

  /** Due processes per kind (for /api/metrics). */
  countByProcess(): Record<ProcessKind, number> {
    let order = 0;
    for (const entry of this.due.values()) if (entry.process === 'order') order++;
    return { order, product: this.due.size - order };
  }

  /** Every due process, oldest failure first. */
  list(): StalledProcess[] {
    return [...this.due.values()].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.key < b.key ? -1 : 1)).map(publicOf);
  }

  /** The document writes that bring `stalled_processes` up to date; `failed` puts them back to be written later. */
  takeWrites(): { writes: ViewWrite[]; failed: () => void } {
    const keys = [...this.dirty];
    this.dirty.clear();
    const writes: ViewWrite[] = keys.map((key) => {
      const entry = this.due.get(key);
      return entry ? { type: 'upsert', document: documentOf(entry) } : { type: 'delete', id: key };
    });
    return { writes, failed: () => keys.forEach((key) => this.dirty.add(key)) };
  }
}
