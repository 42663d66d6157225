import { type RecordedEvent } from '../../platform/event-store/event-store.port.js';
import { type ProcessTrigger } from './order-process-runner.js';
import { type Origin } from './stalled-processes.js';

const BATCH_KEYS = 64;
const FLUSH_AFTER_MS = 50;

/** A run asked for by an event, not yet run. */
export interface Pending extends Origin {
  readonly trigger: ProcessTrigger;
}

/** A batch of runs to make: each key once, and the position every event up to which asked for one of them. */
export type RunBatch = { readonly runs: ReadonlyMap<string, Pending>; readonly upTo: string };

/**
 * The runs the subscription's events ask for, gathered by key (`order:<id>`, `product:<sku>`): a key
 * asked for by several events runs once, from where the first of them is. A batch is handed over
 * when it holds 64 keys, or 50 ms after its first event.
 */
export class PendingRuns {
  private pending = new Map<string, Pending>();
  private upTo: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly run: (batch: RunBatch) => void) {}

  /**
   * The event was taken in; `key`: the run it asks for, if any; `before`: the position before it.
   * True when the batch is full and was handed over.
   */
  add(event: RecordedEvent, key: string | undefined, before: string | undefined): boolean {
    if (key !== undefined) {
      const metadata = event.metadata as { correlationId?: string };
      const trigger = { correlationId: metadata.correlationId ?? event.eventId, causationId: event.eventId, now: '' };
      const earlier = this.pending.get(key);
      this.pending.set(key, { trigger, hold: earlier ? earlier.hold : before, position: earlier ? earlier.position : event.position });
    }
    this.upTo = event.position;
    if (this.pending.size >= BATCH_KEYS) {
      this.flush();
      return true;
    }
    this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    return false;
  }

  /** Hands over what is gathered (if any event was taken in since the last batch). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const runs = this.pending;
    const upTo = this.upTo;
    if (upTo === undefined) return;
    this.pending = new Map();
    this.upTo = undefined;
    this.run({ runs, upTo });
  }
}
