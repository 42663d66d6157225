import { type EventStore } from '../event-store/event-store.port.js';

/**
 * How many events lie after `from` up to `to`, when the store can tell: the embedded store's
 * positions are its gapless global sequence (events are never deleted), so the difference is a
 * count. EventStoreDB positions are byte offsets in its log: no count, undefined.
 */
export function eventDistance(store: Pick<EventStore, 'kind'>, from: string | undefined, to: string | undefined): number | undefined {
  if (store.kind !== 'sqlite') return undefined;
  if (to === undefined) return 0;
  const distance = BigInt(to) - BigInt(from ?? '0');
  return distance > 0n ? Number(distance) : 0;
}
