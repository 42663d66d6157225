import {
  ANY,
  type AppendExpectedRevision,
  type CurrentRevision,
  ErrorType,
  type EventData,
  isCommandError,
  jsonEvent,
  type JSONType,
  NO_STREAM,
  type Position,
  STREAM_EXISTS,
} from '@eventstore/db-client';

import { WrongExpectedRevision } from '../errors.js';
import { type EventToAppend, type ExpectedRevision, MAX_APPEND_BYTES, type RecordedEvent, type SerialisedEvent } from '../event-store.port.js';
import { encodePosition } from './positions.js';

/**
 * Pure translations between the port and `@eventstore/db-client` (v6.2): expected revisions, events, errors.
 * Checked against the client's own sources (dist/streams/appendToStream/*.js, dist/utils/CommandError.js,
 * dist/utils/convertGrpcEvent.js).
 */

/** Our expectation to the client's: the string constants are the same words, a revision stays a bigint. */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (typeof expected !== 'bigint' || expected < 0n) {
        throw new TypeError(`expected revision must be no_stream, stream_exists, any or a revision >= 0n, got ${String(expected)}`);
      }
      return expected;
  }
}

/** The client's "current revision" of a conflict: `no_stream` (or a negative number from old servers) is no stream. */
export function toActualRevision(current: CurrentRevision | bigint | undefined): bigint | undefined {
  if (typeof current !== 'bigint' || current < 0n) return undefined;
  return current;
}

/** The conflict the client reports, whichever append path (append or batchAppend) raised it. */
export interface ClientConflict {
  readonly actual: bigint | undefined;
}

export function asClientConflict(error: unknown): ClientConflict | undefined {
  if (!(error instanceof Error) || !isCommandError(error) || error.type !== ErrorType.WRONG_EXPECTED_VERSION) return undefined;
  return { actual: toActualRevision(error.actualVersion) };
}

/** A conflict of the client mapped to the port's typed error, carrying the caller's expectation. */
export function toWrongExpectedRevision(streamId: string, expected: ExpectedRevision, error: unknown): WrongExpectedRevision | undefined {
  const conflict = asClientConflict(error);
  return conflict && new WrongExpectedRevision(streamId, expected, conflict.actual);
}

export function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND;
}

/**
 * Failures after which the append may or may not have been written, so the stream is read before answering:
 * the server timed out (its write timeout, or an idempotent retry it dropped because the original write was not
 * indexed yet), the client's deadline passed, or the gRPC call broke: UNAVAILABLE, CANCELLED (by the server or
 * the network; the client does not convert its own cancellations) and UNKNOWN. Appends go over the client's one
 * long-lived batch-append stream (dist/streams/appendToStream/batchAppend.js): when that stream fails, every
 * append waiting on it is rejected with the stream's error, including appends the server already committed.
 */
const AMBIGUOUS_APPEND_FAILURES: ReadonlySet<ErrorType> = new Set([ErrorType.TIMEOUT, ErrorType.DEADLINE_EXCEEDED, ErrorType.UNAVAILABLE, ErrorType.CANCELLED, ErrorType.UNKNOWN]);

export function isAmbiguousAppendFailure(error: unknown): boolean {
  return error instanceof Error && isCommandError(error) && AMBIGUOUS_APPEND_FAILURES.has(error.type);
}

/** The server's refusal of an append over its MaxAppendSize (1 MiB unless configured otherwise): nothing written. */
export function asMaxAppendSizeExceeded(error: unknown): { readonly limit: number } | undefined {
  if (!(error instanceof Error) || !isCommandError(error) || error.type !== ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED) return undefined;
  // The client parses the limit from the server's trailers; an older server may not send it.
  return { limit: Number.isSafeInteger(error.maxAppendSize) && error.maxAppendSize > 0 ? error.maxAppendSize : MAX_APPEND_BYTES };
}

/** System streams (`$stats-…`, `$ce-…`, `$$meta`) and system event types (`$metadata`, `$>` links) start with `$`. */
export function isSystemEvent(event: { readonly streamId: string; readonly type: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Refused before anything is sent: a `$` stream or type would be invisible to readAll/subscribe (they skip
 * system events), and EventStoreDB only takes UUIDs as event ids.
 */
export function assertAppendable(streamId: string, events: readonly EventToAppend[]): void {
  if (streamId.length === 0) throw new TypeError('append: empty stream id');
  if (streamId.startsWith('$')) throw new TypeError(`append to ${streamId}: stream names starting with $ are EventStoreDB system streams`);
  for (const event of events) {
    if (!UUID.test(event.eventId)) throw new TypeError(`append to ${streamId}: event id ${JSON.stringify(event.eventId)} is not a UUID`);
    if (event.type.startsWith('$')) {
      throw new TypeError(`append to ${streamId}: event type ${event.type} starts with $, reserved for EventStoreDB system events`);
    }
  }
}

/** The bytes the server counts against its MaxAppendSize: data and metadata as the client serialises them. */
export function toSerialisedEvent(event: EventToAppend): SerialisedEvent {
  return { type: event.type, data: JSON.stringify(event.data === undefined ? null : event.data), metadata: JSON.stringify({ ...event.metadata }) };
}

/** JSON data and metadata; the event id is ours (the idempotency key), never generated by the client. */
export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: (event.data === undefined ? null : event.data) as JSONType,
    metadata: { ...event.metadata } as JSONType,
  });
}

/** Ids compared as the server returns them (lower-case UUID text). */
export function normaliseEventId(eventId: string): string {
  return eventId.toLowerCase();
}

/** The shape of a recorded event of the client, JSON or binary, from a stream read or from `$all`. */
export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

/**
 * What the server sends for an event without a log position: `Position.End`, the commit and prepare positions
 * -1 as signed 64-bit integers, which reach the client as unsigned 2^64-1 (the gRPC fields are uint64).
 */
const NO_POSITION = (1n << 64n) - 1n;

function hasLogPosition(position: Position | undefined): position is Position {
  return position !== undefined && position.commit !== NO_POSITION && position.prepare !== NO_POSITION;
}

export function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
  if (!hasLogPosition(event.position)) {
    throw new Error(
      `EventStoreDB returned event ${event.streamId}@${event.revision} without a log position: jxc needs EventStoreDB 22.6 or later ` +
        'and events written by it (not by a pre-20.x explicit transaction)',
    );
  }
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: encodePosition(event.position),
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata: toMetadata(event.metadata),
  };
}

function toMetadata(metadata: unknown): Readonly<Record<string, unknown>> {
  if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata) && !(metadata instanceof Uint8Array)) {
    return metadata as Record<string, unknown>;
  }
  return {};
}
