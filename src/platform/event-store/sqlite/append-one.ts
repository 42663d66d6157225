import { IdempotencyViolation, WrongExpectedRevision } from '../errors.js';
import { type AppendResult, type ExpectedRevision } from '../event-store.port.js';
import { type RowToInsert, type Statements, type StoredId } from './statements.js';

/** One append of a group: its stream, its serialised events, its expectation. */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly RowToInsert[];
  readonly expected: ExpectedRevision;
  /** With an exact `expected` revision: the id of the event expected at it (AppendOptions.expectedLastEventId). */
  readonly expectedLastEventId?: string;
}

/** The stream's last event: its revision, and its id when the append names the event it expects there. */
interface StreamHead {
  revision: number;
  event_id?: string;
}

/**
 * Writes one append inside the group's transaction, or refuses it (WrongExpectedRevision,
 * IdempotencyViolation) before it writes anything.
 *
 * An append naming the event it expects at its exact expected revision (`expectedLastEventId`) is refused with
 * WrongExpectedRevision when the stream's last event, at that revision, has another id: the revision and the
 * event are read together in one indexed lookup, inside the group's write transaction, so no other process
 * can append between the check and the INSERT.
 *
 * Every refusal is decided before the first INSERT, so a refused append writes nothing and needs no
 * savepoint: the connection is the only writer and runs on one thread, and it sees the rows of the
 * appends before it in the same group.
 */
export function appendOne(statements: Statements, append: AppendRequest): AppendResult {
  return (append.events.length === 1 && tryAppendSingle(statements, append)) || appendChecked(statements, append);
}

/**
 * The common case, one event whose append the expectation allows: just INSERT it, and let the unique
 * indexes find what the checks would (an id already stored, a revision already taken). A refused
 * INSERT undoes only itself, not the group's transaction; the checked path then decides why.
 */
function tryAppendSingle(statements: Statements, { streamId, events, expected, expectedLastEventId }: AppendRequest): AppendResult | undefined {
  let revision = 0;
  if (expected !== 'no_stream') {
    const last = streamHead(statements, streamId, expectedLastEventId);
    if (!isExpected(expected, last === undefined ? undefined : BigInt(last.revision))) return undefined;
    if (expectedLastEventId !== undefined && last?.event_id !== expectedLastEventId) return undefined;
    revision = last === undefined ? 0 : last.revision + 1;
  }
  const [event] = events;
  try {
    const info = statements.insert.run(streamId, revision, event.eventId, event.type, event.data, event.metadata);
    return { nextExpectedRevision: BigInt(revision), position: String(info.lastInsertRowid) };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
    throw error;
  }
}

function appendChecked(statements: Statements, { streamId, events, expected, expectedLastEventId }: AppendRequest): AppendResult {
  const firstKnown = statements.byEventId.get(events[0].eventId) as StoredId | undefined;
  if (firstKnown) return replayedResult(statements, streamId, events, firstKnown);
  for (let i = 1; i < events.length; i++) {
    if (statements.byEventId.get(events[i].eventId)) throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));
  }
  if (new Set(events.map((e) => e.eventId)).size !== events.length) throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));

  const last = streamHead(statements, streamId, expectedLastEventId);
  assertExpected(streamId, expected, last === undefined ? undefined : BigInt(last.revision));
  if (expectedLastEventId !== undefined && last?.event_id !== expectedLastEventId) {
    throw new WrongExpectedRevision(streamId, expected, BigInt(last!.revision), { expectedEventId: expectedLastEventId, actualEventId: last!.event_id! });
  }

  let revision = last === undefined ? 0 : last.revision + 1;
  let position = 0;
  for (const event of events) {
    const info = statements.insert.run(streamId, revision, event.eventId, event.type, event.data, event.metadata);
    position = Number(info.lastInsertRowid);
    revision++;
  }
  return { nextExpectedRevision: BigInt(revision - 1), position: String(position) };
}

/** The first event id is already stored: a retry of the same append is a no-op with the original result. */
function replayedResult(statements: Statements, streamId: string, events: readonly RowToInsert[], first: StoredId): AppendResult {
  let expectedRevision = first.revision;
  let lastPosition = first.position;
  for (const event of events) {
    const row = statements.byEventId.get(event.eventId) as StoredId | undefined;
    if (!row || row.stream_id !== streamId || row.revision !== expectedRevision) {
      throw new IdempotencyViolation(streamId, events.map((e) => e.eventId));
    }
    lastPosition = row.position;
    expectedRevision++;
  }
  return { nextExpectedRevision: BigInt(expectedRevision - 1), position: String(lastPosition) };
}

/** One indexed read of the stream's last row; with its event id only when the append names one (the common path reads less). */
function streamHead(statements: Statements, streamId: string, expectedLastEventId: string | undefined): StreamHead | undefined {
  return (expectedLastEventId === undefined ? statements.streamHead : statements.streamHeadId).get(streamId) as StreamHead | undefined;
}

function isExpected(expected: ExpectedRevision, current: bigint | undefined): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected)
  );
}

function assertExpected(streamId: string, expected: ExpectedRevision, current: bigint | undefined): void {
  if (!isExpected(expected, current)) throw new WrongExpectedRevision(streamId, expected, current);
}
