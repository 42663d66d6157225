import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { WrongExpectedRevision } from '../../src/platform/event-store/errors.js';
import { type EventToAppend } from '../../src/platform/event-store/event-store.port.js';
import { type SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';

export interface SqliteStoreUnderTest {
  readonly store: SqliteEventStore;
  dispose(): Promise<void>;
}

/**
 * AppendOptions.expectedLastEventId on the embedded store (the EventStoreDB adapter refuses it): an append that names
 * the event it expects at its exact expected revision, as a writer pipelining behind its own append in flight does.
 */
export function expectedLastEventIdCases(adapterName: string, open: () => Promise<SqliteStoreUnderTest>): void {
  describe(`expected last event id: ${adapterName}`, () => {
    let subject: SqliteStoreUnderTest;
    let store: SqliteEventStore;
    const stream = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;
    const types = async (id: string) => {
      const read: string[] = [];
      for await (const recorded of store.readStream(id)) read.push(recorded.type);
      return read;
    };

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    it('accepts an append when the event at the expected revision has the named id (one event and a batch)', async () => {
      const id = stream('series');
      const first = event('A');
      await store.append(id, [first], 'no_stream');
      const second = event('B');
      expect((await store.append(id, [second], 0n, { expectedLastEventId: first.eventId })).nextExpectedRevision).toBe(1n);
      expect((await store.append(id, [event('C'), event('D')], 1n, { expectedLastEventId: second.eventId })).nextExpectedRevision).toBe(3n);
      expect(await types(id)).toEqual(['A', 'B', 'C', 'D']);
    });

    it('refuses with WrongExpectedRevision, writing nothing, when another append took the revision the named event was to take', async () => {
      const id = stream('series');
      const first = event('A');
      await store.append(id, [first], 'no_stream');
      // One process: its append `mine` (at 0) is in flight and `pipelined` was decided on it. Another process's append
      // `theirs` takes revision 1 first; `mine` fails; `pipelined` expects revision 1, which the stream is at.
      const theirs = event('Theirs');
      const mine = event('Mine');
      const outcomes = await Promise.allSettled([
        store.append(id, [theirs], 0n),
        store.append(id, [mine], 0n),
        store.append(id, [event('Pipelined')], 1n, { expectedLastEventId: mine.eventId }),
        store.append(id, [event('PipelinedBatch1'), event('PipelinedBatch2')], 1n, { expectedLastEventId: mine.eventId }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
      const refusal = (outcomes[2] as PromiseRejectedResult).reason;
      expect(refusal).toBeInstanceOf(WrongExpectedRevision);
      expect(refusal).toMatchObject({ streamId: id, expected: 1n, actual: 1n, eventMismatch: { expectedEventId: mine.eventId, actualEventId: theirs.eventId } });
      expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
      expect(await types(id)).toEqual(['A', 'Theirs']);
      // The stream is usable at once by an append naming the event really there.
      expect((await store.append(id, [event('Next')], 1n, { expectedLastEventId: theirs.eventId })).nextExpectedRevision).toBe(2n);
    });

    it('still refuses on the revision alone when the stream is elsewhere', async () => {
      const id = stream('series');
      const first = event('A');
      await store.append(id, [first], 'no_stream');
      await store.append(id, [event('B')], 0n);
      const error = await store.append(id, [event('C')], 0n, { expectedLastEventId: first.eventId }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevision);
      expect(error).toMatchObject({ expected: 0n, actual: 1n, eventMismatch: undefined });
      expect(await types(id)).toEqual(['A', 'B']);
    });

    it('answers an idempotent re-append with the original result whatever event it names', async () => {
      const id = stream('series');
      const first = event('A');
      await store.append(id, [first], 'no_stream');
      const retried = [event('B'), event('C')];
      const original = await store.append(id, retried, 0n, { expectedLastEventId: first.eventId });
      await store.append(id, [event('D')], 2n);
      expect(await store.append(id, retried, 0n, { expectedLastEventId: first.eventId })).toEqual(original);
      expect(await store.append(id, retried, 0n, { expectedLastEventId: randomUUID() })).toEqual(original);
      const single = event('E');
      const singleOriginal = await store.append(id, [single], 3n);
      expect(await store.append(id, [single], 2n, { expectedLastEventId: randomUUID() })).toEqual(singleOriginal);
      expect(await types(id)).toEqual(['A', 'B', 'C', 'D', 'E']);
    });

    it('refuses the option without an exact expected revision (TypeError), writing nothing', async () => {
      const id = stream('series');
      await store.append(id, [event('A')], 'no_stream');
      for (const expected of ['any', 'stream_exists', 'no_stream'] as const) {
        await expect(store.append(id, [event('B')], expected, { expectedLastEventId: randomUUID() })).rejects.toBeInstanceOf(TypeError);
      }
      expect(await types(id)).toEqual(['A']);
    });
  });
}

function event(type: string): EventToAppend {
  return { eventId: randomUUID(), type, data: {}, metadata: { commandId: randomUUID(), actor: { id: 'contract', roles: [] } } };
}
