import { DelegatingEventStore } from '../event-store/delegating-event-store.js';
import {
  EVENT_PAGES,
  type EventStore,
  eventPages,
  eventsOfPages,
  type PagedEvents,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store/event-store.port.js';

/**
 * Decoded events the window keeps by default: two catch-up batches (8,000 events) of a group behind the leader. A
 * window of 32,768 caught up no faster (100k events, batches of 8,000: 5.6-5.8 s against 5.4-5.6 s, 2026-12-04).
 */
const SHARED_LOG_WINDOW_EVENTS = 16_384;

export interface SharedLogOptions {
  /** Decoded events the window keeps at most (the oldest leave first), or the last page the feed read if it was larger. */
  readonly maxEvents?: number;
}

/** Events a subscriber takes from the window at once (one page). */
const WINDOW_PAGE = 1024;

const CLOSED = Symbol('closed');

interface Feed {
  readonly subscription: Subscription;
  /** The store's events a page at a time where it can (EVENT_PAGES), else one by one. */
  readonly iterator: AsyncIterator<readonly RecordedEvent[]>;
  pending: Promise<void> | undefined;
}

/** Where a reader after a position stands: at `seq` in the window, before its start, or past its end. */
type Place = number | 'behind' | 'ahead';

/**
 * One read of the log for several subscribers (the projection groups of the worker): an EventStore in front
 * of another whose `subscribe` is served from a shared window of recently read, decoded events.
 *
 * The window is a contiguous stretch of the log: every event after `start` up to its last event, in order.
 * It is filled by ONE subscription of the store (the feed), which starts at the window's end and is pulled
 * by whichever subscriber reaches the end first; the others take the same decoded events from the window.
 * A subscriber after a position
 * - inside the window gets the window's events after it (the window holds every event of that stretch);
 * - before the window's start (a group far behind, restarted from an older checkpoint) reads the store
 *   itself until it reaches the window, then joins it;
 * - past the window's end becomes the leader: the window starts again at its position, and the others,
 *   now behind, read the store themselves until they reach it.
 * The window keeps at most `maxEvents` events (or the feed's last page); a subscriber left behind by more than that reads the store
 * itself (it is never waited for, so a group retrying with backoff slows no other).
 *
 * Every subscriber thus sees exactly the events of the log after its position, in order, once each, as
 * with its own subscription; closing one ends only that one. The feed adds a page of the store at a time, and a
 * subscriber read through EVENT_PAGES (as the runners' batches do) takes the window's events a page at a time: one
 * turn of the event loop per page, not per event. An error of the feed reaches the subscribers
 * waiting on it (they retry as with their own subscription) and the next pull opens a new feed.
 *
 * `subscribe` and `readAll` (up to the head when it starts) are shared; everything else goes to the store.
 * A rebuild or a verification of one group has no one to share with: it reads the store itself.
 * The events are the same objects for every subscriber: projections treat events as read-only.
 */
export class SharedLog extends DelegatingEventStore {
  private readonly maxEvents: number;
  /** The window: `events[head..]`; the event at `events[head + i]` has sequence number `firstSeq + i`. */
  private events: RecordedEvent[] = [];
  private head = 0;
  private firstSeq = 0;
  /** Exclusive: the window holds every event of the log after `start` (undefined: the beginning). */
  private start: string | undefined;
  /** No window yet (no subscriber has read). */
  private empty = true;
  /** Bumped when the window starts again elsewhere: sequence numbers of an older epoch mean nothing. */
  private epoch = 0;
  private feed: Feed | undefined;
  private closed = false;
  /** Events read from the store by the feed and by subscribers reading on their own (for tests and metrics). */
  readonly reads = { feed: 0, own: 0 };

  constructor(
    private readonly store: EventStore,
    options: SharedLogOptions = {},
  ) {
    super(store);
    this.maxEvents = Math.max(1, options.maxEvents ?? SHARED_LOG_WINDOW_EVENTS);
  }

  override subscribe(options: SubscribeOptions = {}): Subscription {
    return new SharedSubscription(this, options.fromPosition);
  }

  /**
   * The events after `fromPosition` up to the head of the log as it is when the iteration starts, through
   * the window like `subscribe` (several runners catching up at once read the log once); with `maxCount`,
   * straight from the store.
   */
  override readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    if (options.maxCount !== undefined) return this.store.readAll(options);
    const readAll: PagedEvents = {
      [Symbol.asyncIterator]: () => eventsOfPages(this.readPagesToHead(options.fromPosition)),
      [EVENT_PAGES]: () => this.readPagesToHead(options.fromPosition),
    };
    return readAll;
  }

  private async *readPagesToHead(from: string | undefined): AsyncGenerator<readonly RecordedEvent[]> {
    const head = await this.store.headPosition();
    if (head === undefined || !this.before(from, head)) return;
    const subscription = new SharedSubscription(this, from);
    try {
      for await (const page of { [Symbol.asyncIterator]: () => subscription[EVENT_PAGES]() }) {
        // The last page may reach past the head: cut it there.
        let end = page.length;
        while (end > 0 && this.before(head, page[end - 1].position)) end -= 1;
        if (end > 0) yield end === page.length ? page : page.slice(0, end);
        if (end < page.length || !this.before(page[page.length - 1].position, head)) return;
      }
    } finally {
      await subscription.close();
    }
  }

  /** Ends the feed and every subscription waiting on it; the store stays open (its owner closes it). */
  override async close(): Promise<void> {
    this.closed = true;
    await this.dropFeed();
  }

  /** Decoded events in the window now. */
  get windowSize(): number {
    return this.events.length - this.head;
  }

  // --- for SharedSubscription ---

  get isClosed(): boolean {
    return this.closed;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /** The sequence number of the first event of the window. */
  get firstSequence(): number {
    return this.firstSeq;
  }

  /** Whether a subscriber after `after` is before the window's start (it reads the store on its own). */
  isBehind(after: string | undefined): boolean {
    return !this.empty && this.before(after, this.start);
  }

  /** One past the last event of the window. */
  get endSeq(): number {
    return this.firstSeq + this.windowSize;
  }

  /** The window's events from `seq` on, at most `max` of them (none when `seq` is not in the window of this epoch). */
  slice(seq: number, max: number): readonly RecordedEvent[] {
    if (seq < this.firstSeq || seq >= this.endSeq) return [];
    const from = this.head + seq - this.firstSeq;
    return this.events.slice(from, Math.min(this.events.length, from + max));
  }

  /** Where a subscriber after `after` stands (the sequence number of its next event when inside the window). */
  place(after: string | undefined): Place {
    if (this.empty) return 'ahead';
    if (this.before(after, this.start)) return 'behind';
    const size = this.windowSize;
    const end = size === 0 ? this.start : this.events[this.events.length - 1].position;
    if (this.before(end, after)) return 'ahead';
    // The first event of the window after `after` (the window holds every event after `start`).
    let low = this.head;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (after !== undefined && this.store.comparePositions(this.events[middle].position, after) <= 0) low = middle + 1;
      else high = middle;
    }
    return this.firstSeq + (low - this.head);
  }

  /** The window starts again after `after` (a subscriber past its end leads from now on). */
  restartAt(after: string | undefined): void {
    void this.dropFeed();
    this.events = [];
    this.head = 0;
    this.firstSeq = 0;
    this.start = after;
    this.empty = false;
    this.epoch += 1;
  }

  /**
   * Resolves once the feed has added the next event to the window, or the window has started again
   * elsewhere; CLOSED when the log (or the store) has closed. One read of the store whoever asks.
   */
  pull(): Promise<void | typeof CLOSED> {
    if (this.closed) return Promise.resolve(CLOSED);
    const feed = (this.feed ??= this.openFeed());
    feed.pending ??= feed.iterator.next().then(
      (result) => {
        feed.pending = undefined;
        if (this.feed !== feed) return;
        if (result.done) {
          // The store closed (or the feed was closed under us): nothing more will come.
          this.closed = true;
          return;
        }
        this.reads.feed += result.value.length;
        this.add(result.value);
      },
      async (error: unknown) => {
        feed.pending = undefined;
        if (this.feed === feed) await this.dropFeed();
        throw error;
      },
    );
    return feed.pending.then(() => (this.closed ? CLOSED : undefined));
  }

  /** A subscriber reading on its own (behind the window), a page at a time where the store can. */
  async *ownRead(after: string | undefined): AsyncGenerator<readonly RecordedEvent[]> {
    const pages = eventPages(this.store.readAll(after === undefined ? {} : { fromPosition: after }));
    try {
      for (;;) {
        const next = await pages.next();
        if (next.done) return;
        this.reads.own += next.value.length;
        yield next.value;
      }
    } finally {
      await pages.return?.();
    }
  }

  before(a: string | undefined, b: string | undefined): boolean {
    if (a === undefined) return b !== undefined;
    if (b === undefined) return false;
    return this.store.comparePositions(a, b) < 0;
  }

  private openFeed(): Feed {
    const end = this.windowSize === 0 ? this.start : this.events[this.events.length - 1].position;
    const subscription = this.store.subscribe(end === undefined ? {} : { fromPosition: end });
    return { subscription, iterator: eventPages(subscription), pending: undefined };
  }

  /** Adds a page read by the feed; the oldest events leave (never any of this page: the one who pulled it reads it next). */
  private add(page: readonly RecordedEvent[]): void {
    for (const event of page) this.events.push(event);
    const keep = Math.max(this.maxEvents, page.length);
    const evicted = this.windowSize - keep;
    if (evicted > 0) {
      this.start = this.events[this.head + evicted - 1].position;
      this.head += evicted;
      this.firstSeq += evicted;
      // Drop the evicted slots now and then (amortised O(1) per event).
      if (this.head >= keep) {
        this.events = this.events.slice(this.head);
        this.head = 0;
      }
    }
  }

  private async dropFeed(): Promise<void> {
    const feed = this.feed;
    this.feed = undefined;
    if (!feed) return;
    void feed.iterator.return?.()?.catch(() => undefined);
    await feed.subscription.close().catch(() => undefined);
  }
}

/** One subscriber of a SharedLog: its own position, the shared window, the store when behind it. */
class SharedSubscription implements Subscription, PagedEvents {
  private closed = false;
  /** Ends the wait for the feed (close). */
  private wake: (() => void) | undefined;

  constructor(
    private readonly log: SharedLog,
    private after: string | undefined,
  ) {}

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
  }

  /** The feed's next page, or CLOSED when this subscription or the log closes meanwhile. */
  private next(): Promise<void | typeof CLOSED> {
    return new Promise((resolve, reject) => {
      this.wake = () => resolve(CLOSED);
      this.log.pull().then(resolve, reject);
    }).finally(() => (this.wake = undefined)) as Promise<void | typeof CLOSED>;
  }

  [Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    return eventsOfPages(this.pages(), () => this.closed);
  }

  [EVENT_PAGES](): AsyncGenerator<readonly RecordedEvent[]> {
    return this.pages();
  }

  private async *pages(): AsyncGenerator<readonly RecordedEvent[]> {
    const log = this.log;
    let epoch = -1;
    let seq = 0;
    while (!this.closed && !log.isClosed) {
      if (epoch === log.currentEpoch && seq >= log.firstSequence) {
        const page = log.slice(seq, WINDOW_PAGE);
        if (page.length > 0) {
          seq += page.length;
          this.after = page[page.length - 1].position;
          yield page;
          continue;
        }
        // At the end of the window: the next events come from the feed (read once, whoever asks first).
        if ((await this.next()) === CLOSED) return;
        continue;
      }
      // Not at a known place of the window (first read, the window started again elsewhere, or this
      // subscriber was left behind): find out where it stands.
      const place = log.place(this.after);
      if (place === 'ahead') {
        log.restartAt(this.after);
      } else if (place === 'behind') {
        let read = 0;
        for await (const page of { [Symbol.asyncIterator]: () => log.ownRead(this.after) }) {
          if (this.closed) return;
          read += page.length;
          this.after = page[page.length - 1].position;
          yield page;
          // Joins the window as soon as it reaches it.
          if (!log.isBehind(this.after)) break;
        }
        // Read to the end of the log and still behind a window that starts later: lead from here.
        if (read === 0 && log.isBehind(this.after)) log.restartAt(this.after);
      } else {
        epoch = log.currentEpoch;
        seq = place;
      }
    }
  }
}
