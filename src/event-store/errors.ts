import { type ExpectedRevision } from './event-store.port.js';

/** The expected revision of an append did not match the stream. `actual` is undefined for a missing stream. */
export class WrongExpectedRevision extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | undefined,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual === undefined ? 'no stream' : String(actual)}`);
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
