import { type EventStore } from '../../src/event-store/event-store.port.js';
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

  fail(...streamIds: string[]): void {
    for (const streamId of streamIds) this.failing.add(streamId);
  }

  heal(...streamIds: string[]): void {
    for (const streamId of streamIds.length === 0 ? [...this.failing] : streamIds) this.failing.delete(streamId);
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
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
}
