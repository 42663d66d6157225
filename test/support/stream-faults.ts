import { type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { storageFault } from './faulty-event-store.js';

/**
 * Targeted faults for tests: appends to the named streams fail as a full disk fails them (the SQLite
 * adapter's own error), before anything is written, until healed; everything else goes straight to the
 * real store. `wrap` puts it in front of the store the application opens (startApp's wrapEventStore).
 */
export class StreamFaults {
  private readonly failing = new Set<string>();
  /** Appends refused so far, per stream. */
  readonly refused = new Map<string, number>();
  /** Subscriptions broken so far. */
  subscriptionsBroken = 0;
  private breaks = 0;
  private breakHow: 'end' | 'fail' = 'end';

  fail(...streamIds: string[]): void {
    for (const streamId of streamIds) this.failing.add(streamId);
  }

  heal(...streamIds: string[]): void {
    for (const streamId of streamIds.length === 0 ? [...this.failing] : streamIds) this.failing.delete(streamId);
  }

  /**
   * The next `count` events delivered to a live subscription each break it instead of being delivered:
   * `end` ends it quietly (an EventStoreDB subscription when the server restarts), `fail` throws the read
   * error of a failing disk.
   */
  breakSubscriptions(count: number, how: 'end' | 'fail'): void {
    this.breaks = count;
    this.breakHow = how;
  }

  private subscribe(target: EventStore, options: Parameters<EventStore['subscribe']>[0]): ReturnType<EventStore['subscribe']> {
    const inner = target.subscribe(options);
    const broken = (): 'end' | 'fail' | undefined => {
      if (this.breaks <= 0) return undefined;
      this.breaks--;
      this.subscriptionsBroken++;
      return this.breakHow;
    };
    return {
      close: () => inner.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of inner) {
          const how = broken();
          if (how !== undefined) {
            await inner.close();
            if (how === 'fail') throw storageFault('read');
            return;
          }
          yield event;
        }
      },
    };
  }

  readonly wrap = (real: EventStore): EventStore =>
    new Proxy(real, {
      get: (target, property) => {
        if (property === 'append') {
          return (streamId: string, ...rest: [Parameters<EventStore['append']>[1], Parameters<EventStore['append']>[2]]) => {
            if (!this.failing.has(streamId)) return target.append(streamId, ...rest);
            this.refused.set(streamId, (this.refused.get(streamId) ?? 0) + 1);
            return Promise.reject(storageFault('append'));
          };
        }
        if (property === 'subscribe') return (options: Parameters<EventStore['subscribe']>[0]) => this.subscribe(target, options);
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
}
