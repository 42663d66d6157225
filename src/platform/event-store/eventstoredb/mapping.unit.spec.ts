import { describe, expect, it } from '@jest/globals';
import {
  ANY,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

import { WrongExpectedRevision } from '../errors.js';
import { appendSize } from '../event-store.port.js';
import {
  asClientConflict,
  assertAppendable,
  asMaxAppendSizeExceeded,
  isAmbiguousAppendFailure,
  isStreamNotFound,
  isSystemEvent,
  toActualRevision,
  toClientExpectedRevision,
  toEventData,
  toRecordedEvent,
  toSerialisedEvent,
  toWrongExpectedRevision,
} from './mapping.js';

const conflict = (current: bigint | 'no_stream', expected: bigint | 'no_stream' | 'any' | 'stream_exists' = 0n) =>
  new WrongExpectedVersionError(undefined, { streamName: 'order-1', expected, current });

describe('EventStoreDB mapping: expected revisions', () => {
  it("maps the port's expectations onto the client's constants, revisions as bigint", () => {
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision(0n)).toBe(0n);
    expect(toClientExpectedRevision(9007199254740993n)).toBe(9007199254740993n);
  });

  it('refuses a negative revision or something that is not an expectation', () => {
    expect(() => toClientExpectedRevision(-1n)).toThrow(TypeError);
    expect(() => toClientExpectedRevision(3 as unknown as bigint)).toThrow(TypeError);
    expect(() => toClientExpectedRevision('latest' as unknown as bigint)).toThrow(TypeError);
  });
});

describe('EventStoreDB mapping: errors', () => {
  it('turns the client conflict into WrongExpectedRevision with the actual revision as bigint', () => {
    const error = toWrongExpectedRevision('order-1', 1n, conflict(2n, 1n));
    expect(error).toBeInstanceOf(WrongExpectedRevision);
    expect(error).toMatchObject({ streamId: 'order-1', expected: 1n, actual: 2n });
  });

  it('reports a missing stream as actual undefined', () => {
    expect(toWrongExpectedRevision('order-1', 0n, conflict('no_stream'))).toMatchObject({ expected: 0n, actual: undefined });
    expect(toWrongExpectedRevision('order-1', 'stream_exists', conflict('no_stream', 'stream_exists'))).toMatchObject({
      expected: 'stream_exists',
      actual: undefined,
    });
    expect(toActualRevision(-1n)).toBeUndefined();
    expect(toActualRevision(undefined)).toBeUndefined();
    expect(toActualRevision(7n)).toBe(7n);
  });

  it('keeps revisions beyond 2^53 exact', () => {
    expect(asClientConflict(conflict(9007199254740993n))).toEqual({ actual: 9007199254740993n });
  });

  it('leaves other errors alone', () => {
    expect(toWrongExpectedRevision('order-1', 0n, new Error('boom'))).toBeUndefined();
    expect(toWrongExpectedRevision('order-1', 0n, new StreamNotFoundError(undefined, 'order-1'))).toBeUndefined();
    expect(asClientConflict('not an error')).toBeUndefined();
  });

  it('recognises stream-not-found and the failures after which an append may or may not have been written', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'order-1'))).toBe(true);
    expect(isStreamNotFound(conflict(0n))).toBe(false);
    expect(isAmbiguousAppendFailure(new TimeoutError())).toBe(true);
    expect(isAmbiguousAppendFailure(new DeadlineExceededError())).toBe(true);
    expect(isAmbiguousAppendFailure(conflict(0n))).toBe(false);
    expect(isAmbiguousAppendFailure(new StreamNotFoundError(undefined, 'order-1'))).toBe(false);
    expect(isAmbiguousAppendFailure(new Error('boom'))).toBe(false);
  });

  it('a broken batch-append stream (UNAVAILABLE, CANCELLED, UNKNOWN) may have written the append: it is looked for like a timeout', () => {
    expect(isAmbiguousAppendFailure(new UnavailableError())).toBe(true);
    expect(isAmbiguousAppendFailure(new CancelledError())).toBe(true);
    expect(isAmbiguousAppendFailure(new UnknownError())).toBe(true);
  });

  it("recognises the server's refusal of an append over its maximum size, with the server's limit", () => {
    expect(asMaxAppendSizeExceeded(MaxAppendSizeExceededError.fromMaxAppendSize(524288))).toEqual({ limit: 524288 });
    expect(asMaxAppendSizeExceeded(MaxAppendSizeExceededError.fromMaxAppendSize(Number.NaN))).toEqual({ limit: 1_048_576 });
    expect(asMaxAppendSizeExceeded(new UnavailableError())).toBeUndefined();
    expect(asMaxAppendSizeExceeded(conflict(0n))).toBeUndefined();
  });

  it('measures an append as the server does: UTF-8 bytes of data and metadata as the client serialises them, plus 2 x the type length', () => {
    const event = toSerialisedEvent({ eventId: 'x', type: 'OrderPlaced', data: { note: '龙井' }, metadata: { commandId: 'c' } });
    expect(event).toEqual({ type: 'OrderPlaced', data: '{"note":"龙井"}', metadata: '{"commandId":"c"}' });
    // {"note":"龙井"} is 11 ASCII bytes + 2 x 3 bytes; {"commandId":"c"} 17 bytes; OrderPlaced 11 characters
    expect(appendSize([event])).toBe(17 + 17 + 22);
    expect(toSerialisedEvent({ eventId: 'x', type: 'T', data: undefined, metadata: {} }).data).toBe('null');
  });
});

describe('EventStoreDB mapping: events', () => {
  it('writes JSON events with our id as the idempotency key', () => {
    const data = toEventData({ eventId: '0b9c6e1e-3c35-4c9b-9c5e-6f6f3d7a1c01', type: 'OrderPlaced', data: { qty: 2 }, metadata: { commandId: 'c-1' } });
    expect(data).toEqual({
      id: '0b9c6e1e-3c35-4c9b-9c5e-6f6f3d7a1c01',
      contentType: 'application/json',
      type: 'OrderPlaced',
      data: { qty: 2 },
      metadata: { commandId: 'c-1' },
    });
    expect(toEventData({ eventId: 'x', type: 'T', data: undefined, metadata: {} }).data).toBeNull();
  });

  it('reads a recorded event back with bigint revision and commit/prepare position', () => {
    const recorded = toRecordedEvent({
      streamId: 'order-1',
      id: '0b9c6e1e-3c35-4c9b-9c5e-6f6f3d7a1c01',
      revision: 9007199254740993n,
      type: 'OrderPlaced',
      isJson: true,
      data: { qty: 2 },
      metadata: { commandId: 'c-1' },
      position: { commit: 4200n, prepare: 4100n },
    });
    expect(recorded).toEqual({
      streamId: 'order-1',
      revision: 9007199254740993n,
      position: '4200/4100',
      eventId: '0b9c6e1e-3c35-4c9b-9c5e-6f6f3d7a1c01',
      type: 'OrderPlaced',
      data: { qty: 2 },
      metadata: { commandId: 'c-1' },
    });
  });

  it('gives empty metadata when the event has none and refuses an event without a position', () => {
    const base = { streamId: 's', id: 'i', revision: 0n, type: 'T', isJson: true, data: {}, position: { commit: 1n, prepare: 1n } };
    expect(toRecordedEvent({ ...base, metadata: undefined }).metadata).toEqual({});
    expect(toRecordedEvent({ ...base, metadata: new Uint8Array([1]) }).metadata).toEqual({});
    expect(() => toRecordedEvent({ ...base, metadata: {}, position: undefined })).toThrow(/22\.6 or later/);
  });

  it("refuses an event carrying the server's 'no position' (Position.End: 2^64-1 once unsigned), and takes the largest real one", () => {
    const base = { streamId: 's', id: 'i', revision: 0n, type: 'T', isJson: true, data: {}, metadata: {} };
    const none = (1n << 64n) - 1n;
    expect(() => toRecordedEvent({ ...base, position: { commit: none, prepare: none } })).toThrow(/without a log position/);
    expect(() => toRecordedEvent({ ...base, position: { commit: none, prepare: 5n } })).toThrow(/without a log position/);
    expect(toRecordedEvent({ ...base, position: { commit: none - 1n, prepare: none - 1n } }).position).toBe(`${none - 1n}/${none - 1n}`);
  });

  it('knows system events by type or stream', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: '$ce-order', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: '$$order-1', type: '$metadata' })).toBe(true);
    expect(isSystemEvent({ streamId: '$projections-x', type: 'Something' })).toBe(true);
    expect(isSystemEvent({ streamId: 'order-1', type: 'OrderPlaced' })).toBe(false);
  });

  it('refuses to append to system streams, with system event types or with ids that are not UUIDs', () => {
    const event = { eventId: '0B9C6E1E-3C35-4C9B-9C5E-6F6F3D7A1C01', type: 'OrderPlaced', data: {}, metadata: {} };
    expect(() => assertAppendable('order-1', [event])).not.toThrow();
    expect(() => assertAppendable('order-1', [{ ...event, eventId: 'cmd-42' }])).toThrow(/not a UUID/);
    expect(() => assertAppendable('$settings', [event])).toThrow(TypeError);
    expect(() => assertAppendable('order-1', [{ ...event, type: '$metadata' }])).toThrow(TypeError);
    expect(() => assertAppendable('', [event])).toThrow(TypeError);
  });
});
