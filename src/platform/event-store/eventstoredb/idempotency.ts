import { type AppendResult, type RecordedEvent } from '../event-store.port.js';
import { normaliseEventId } from './mapping.js';

/**
 * What a stream already holds of a batch we are about to (re)append.
 *
 * EventStoreDB recognises a retry only at the expected revision it was first written with (or, for `any`,
 * while its ids are still in the server's cache), and it appends a batch whose FIRST id is unknown even if
 * later ids are already stored. The port promises more: a batch whose ids are all in the stream, in order,
 * is a no-op returning the original result whatever the expectation; a batch that is only partly there is
 * refused and writes nothing. So the adapter reads the stream tail (backwards, streamed) and decides here.
 */
export type ExistingBatch =
  | { readonly kind: 'none'; readonly head: bigint | undefined }
  | { readonly kind: 'all'; readonly head: bigint | undefined; readonly result: AppendResult }
  | { readonly kind: 'partial'; readonly head: bigint | undefined };

interface Found {
  readonly revision: bigint;
  readonly position: string;
}

/**
 * Scans `newestFirst` (the stream read backwards, at most the idempotency window) for the batch's ids.
 * Stops as soon as the batch's first id is seen: the events written with it have higher revisions, so they
 * were already read. `head` is the stream's last revision (the first event read), undefined for no stream.
 */
export async function findExistingBatch(eventIds: readonly string[], newestFirst: AsyncIterable<RecordedEvent>): Promise<ExistingBatch> {
  const wanted = new Map<string, number>();
  eventIds.forEach((id, index) => wanted.set(normaliseEventId(id), index));
  const found = new Array<Found | undefined>(eventIds.length);
  let head: bigint | undefined;
  for await (const recorded of newestFirst) {
    head ??= recorded.revision;
    const index = wanted.get(normaliseEventId(recorded.eventId));
    if (index !== undefined && found[index] === undefined) found[index] = { revision: recorded.revision, position: recorded.position };
    if (found[0] !== undefined) break;
  }
  return classify(found, head);
}

/** All found at consecutive revisions in batch order: the original append. None: a new batch. Else partial. */
export function classify(found: readonly (Found | undefined)[], head: bigint | undefined): ExistingBatch {
  const present = found.filter((f): f is Found => f !== undefined);
  if (present.length === 0) return { kind: 'none', head };
  if (present.length !== found.length) return { kind: 'partial', head };
  const first = present[0].revision;
  for (let i = 1; i < present.length; i++) {
    if (present[i].revision !== first + BigInt(i)) return { kind: 'partial', head };
  }
  const last = present[present.length - 1];
  return { kind: 'all', head, result: { nextExpectedRevision: last.revision, position: last.position } };
}
