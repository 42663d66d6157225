import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

import { type EventStore } from '../event-store/event-store.port.js';
import { type ChainBreak, StreamChainVerifier } from '../write-model/hash-chain.js';

export interface AuditVerification {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  /** The first broken link in log order. */
  readonly brokenAt?: ChainBreak | UnreadableEvent;
  /** Every stream's first broken link, in log order (at most 100). */
  readonly breaks: readonly (ChainBreak | UnreadableEvent)[];
}

/** The log itself could not be read past a point (e.g. an event's stored JSON was damaged). */
export interface UnreadableEvent {
  readonly streamId: string | null;
  readonly revision: number | null;
  readonly position: string | null;
  /** The last position read before it. */
  readonly after: string | null;
  readonly reason: 'unreadable';
  readonly detail: string;
}

const MAX_BREAKS = 100;

/**
 * Recomputes every stream's hash chain over the whole log, in one pass: one StreamChainVerifier per
 * stream, each remembering only its last link (memory grows with the number of streams, never with
 * their length). A stream is reported at its first break; its later events are not checked again.
 */
export async function verifyAuditChains(store: EventStore, onProgress?: (eventsChecked: number) => void): Promise<AuditVerification> {
  const verifiers = new Map<string, StreamChainVerifier | null>();
  const breaks: (ChainBreak | UnreadableEvent)[] = [];
  let eventsChecked = 0;
  let lastPosition: string | null = null;
  try {
    for await (const event of store.readAll()) {
      eventsChecked++;
      lastPosition = event.position;
      let verifier = verifiers.get(event.streamId);
      if (verifier === undefined) {
        verifier = new StreamChainVerifier(event.streamId);
        verifiers.set(event.streamId, verifier);
      }
      if (verifier !== null) {
        const broken = verifier.check({ ...event, revision: Number(event.revision) });
        if (broken !== undefined) {
          verifiers.set(event.streamId, null);
          if (breaks.length < MAX_BREAKS) breaks.push(broken);
        }
      }
      if (eventsChecked % 10_000 === 0) {
        onProgress?.(eventsChecked);
        // Hashing the whole log is long: let requests in meanwhile.
        await yieldToEventLoop();
      }
    }
  } catch (error) {
    breaks.push({ streamId: null, revision: null, position: null, after: lastPosition, reason: 'unreadable', detail: error instanceof Error ? error.message : String(error) });
  }
  onProgress?.(eventsChecked);
  return { ok: breaks.length === 0, eventsChecked, streamsChecked: verifiers.size, ...(breaks.length > 0 ? { brokenAt: breaks[0] } : {}), breaks };
}
