import { type ExpectedRevision } from './event-store.port.js';

/** The expected revision of an append did not match the stream. `actual` is undefined for a missing stream. */
export class WrongExpectedRevision extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | undefined,
    /** Set when the revision matched but the event there was not the one expected (AppendOptions.expectedLastEventId). */
    readonly eventMismatch?: { readonly expectedEventId: string; readonly actualEventId: string },
  ) {
    super(
      eventMismatch
        ? `stream ${streamId}: expected event ${eventMismatch.expectedEventId} at revision ${String(expected)}, found ${eventMismatch.actualEventId}`
        : `stream ${streamId}: expected revision ${String(expected)}, actual ${actual === undefined ? 'no stream' : String(actual)}`,
    );
    this.name = 'WrongExpectedRevision';
  }
}

/** Some, but not all, of the appended event ids are already in the stream: not a clean retry. */
export class IdempotencyViolation extends Error {
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`stream ${streamId}: events ${eventIds.join(', ')} were partly appended before`);
    this.name = 'IdempotencyViolation';
  }
}

/** The store was closed; no more appends are accepted. */
export class EventStoreClosed extends Error {
  constructor() {
    super('event store is closed');
    this.name = 'EventStoreClosed';
  }
}

/**
 * The store cannot serve the operation now: a full disk, an I/O error, a read-only or locked file, no memory
 * (SQLite); the server unreachable, not the leader, or past its deadline (EventStoreDB). Transient by nature:
 * the same call may succeed later, without restarting anything. A failed append of the embedded store wrote
 * nothing; on EventStoreDB an append whose answer was lost may have been written, and a retry with the same
 * event ids is recognised as such. `cause` keeps the driver's error for the logs; it never reaches a client.
 */
export class StorageUnavailable extends Error {
  constructor(
    readonly operation: 'append' | 'read',
    options: { readonly cause?: unknown } = {},
  ) {
    super(`event store unavailable for ${operation === 'append' ? 'writing' : 'reading'}${causeText(options.cause)}`, { cause: options.cause });
    this.name = 'StorageUnavailable';
  }
}

function causeText(cause: unknown): string {
  if (cause === undefined) return '';
  const text = cause instanceof Error ? `${(cause as { code?: unknown }).code ?? cause.name}: ${cause.message}` : String(cause);
  return `: ${text}`;
}

/**
 * An append larger than the port's limit (MAX_APPEND_BYTES, EventStoreDB's default MaxAppendSize, or the
 * server's own when it is configured lower): refused before anything is written, on every adapter.
 */
export class AppendTooLarge extends Error {
  constructor(
    readonly streamId: string,
    /** Bytes as counted by `appendSize`; undefined when the server refused without saying. */
    readonly size: number | undefined,
    readonly limit: number,
  ) {
    super(`append to ${streamId}: ${size === undefined ? 'the events are' : `${size} bytes of events is`} more than the store's limit of ${limit} bytes per append`);
    this.name = 'AppendTooLarge';
  }
}
