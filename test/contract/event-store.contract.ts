import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { AppendTooLarge, IdempotencyViolation, WrongExpectedRevision } from '../../src/platform/event-store/errors.js';
import { appendSize, type EventStore, type EventToAppend, MAX_APPEND_BYTES, type ReadStreamOptions, type RecordedEvent } from '../../src/platform/event-store/event-store.port.js';

export interface EventStoreUnderTest {
  readonly store: EventStore;
  /** Closes the store and removes what the test created. */
  dispose(): Promise<void>;
}

/**
 * The behaviour every event store adapter must have (DESIGN.md "Event store port").
 * Stream names carry a per-run prefix, so the suite can run against a shared server.
 */
export function eventStoreContract(adapterName: string, open: () => Promise<EventStoreUnderTest>): void {
  describe(`event store contract: ${adapterName}`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;
    const run = randomUUID().slice(0, 8);
    const stream = (name: string) => `${name}_${run}-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    describe('append with an expected revision', () => {
      it('creates a stream at revision 0 and reads back exactly what was written', async () => {
        const id = stream('order');
        const written = event('OrderPlaced', { orderId: id, lines: [{ sku: 'TEA-1', quantity: 2, unitPrice: 1999 }] });
        const result = await store.append(id, [written], 'no_stream');
        expect(result.nextExpectedRevision).toBe(0n);
        expect(typeof result.position).toBe('string');

        const [read] = await collect(store.readStream(id));
        expect(read).toEqual({ streamId: id, revision: 0n, position: result.position, eventId: written.eventId, type: 'OrderPlaced', data: written.data, metadata: written.metadata });
      });

      it('refuses no_stream when the stream exists, naming expected and actual', async () => {
        const id = stream('order');
        await store.append(id, [event('A')], 'no_stream');
        const error = await store.append(id, [event('B')], 'no_stream').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevision);
        expect(error).toMatchObject({ streamId: id, expected: 'no_stream', actual: 0n });
      });

      it('accepts the exact current revision and refuses a stale one', async () => {
        const id = stream('order');
        await store.append(id, [event('A')], 'no_stream');
        expect((await store.append(id, [event('B'), event('C')], 0n)).nextExpectedRevision).toBe(2n);
        const error = await store.append(id, [event('D')], 1n).catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'WrongExpectedRevision', expected: 1n, actual: 2n });
        expect(await types(store, id)).toEqual(['A', 'B', 'C']);
      });

      it('refuses an exact revision on a missing stream', async () => {
        const id = stream('order');
        const error = await store.append(id, [event('A')], 0n).catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'WrongExpectedRevision', expected: 0n, actual: undefined });
        expect(await types(store, id)).toEqual([]);
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const id = stream('order');
        await expect(store.append(id, [event('A')], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevision);
        await store.append(id, [event('A')], 'any');
        expect((await store.append(id, [event('B')], 'stream_exists')).nextExpectedRevision).toBe(1n);
      });

      it('any appends whatever the revision', async () => {
        const id = stream('order');
        await store.append(id, [event('A')], 'any');
        await store.append(id, [event('B')], 'any');
        expect(await types(store, id)).toEqual(['A', 'B']);
      });

      it("one stream's conflict does not fail another stream's append made at the same moment", async () => {
        const good = stream('stock');
        const bad = stream('stock');
        await store.append(bad, [event('A')], 'no_stream');
        const [conflict, success] = await Promise.allSettled([store.append(bad, [event('B')], 'no_stream'), store.append(good, [event('A')], 'no_stream')]);
        expect(conflict.status).toBe('rejected');
        expect(success.status).toBe('fulfilled');
        expect(await types(store, good)).toEqual(['A']);
      });

      it('appends several events atomically: all or none', async () => {
        const id = stream('order');
        await store.append(id, [event('A')], 'no_stream');
        await expect(store.append(id, [event('B'), event('C'), event('D')], 5n)).rejects.toBeInstanceOf(WrongExpectedRevision);
        expect(await types(store, id)).toEqual(['A']);
      });
    });

    describe('idempotent re-append', () => {
      it('re-sending the same event ids is a no-op returning the original result', async () => {
        const id = stream('payment');
        const batch = [event('PaymentReceived', { amount: 500 }), event('RefundIssued', { amount: 500 })];
        const first = await store.append(id, batch, 'no_stream');
        const again = await store.append(id, batch, 'no_stream');
        const evenWithAnotherExpectation = await store.append(id, batch, 7n);
        expect(again).toEqual(first);
        expect(evenWithAnotherExpectation).toEqual(first);
        expect(await types(store, id)).toEqual(['PaymentReceived', 'RefundIssued']);
      });

      it('re-sending with an exact expected revision equal to the head (a caller that reloaded the stream) is a no-op', async () => {
        const id = stream('payment');
        await store.append(id, [event('Opened')], 'no_stream');
        const batch = [event('PaymentReceived', { amount: 500 }), event('RefundIssued', { amount: 500 })];
        const first = await store.append(id, batch, 0n);
        expect(first.nextExpectedRevision).toBe(2n);
        const again = await store.append(id, batch, first.nextExpectedRevision);
        expect(again).toEqual(first);
        expect(await types(store, id)).toEqual(['Opened', 'PaymentReceived', 'RefundIssued']);
      });

      it('re-sending at the head after another append moved it is a no-op returning the original result', async () => {
        const id = stream('payment');
        const batch = [event('PaymentReceived', { amount: 500 })];
        const first = await store.append(id, batch, 'no_stream');
        const other = await store.append(id, [event('PaymentReceived', { amount: 100 }), event('RefundIssued', { amount: 100 })], 0n);
        const again = await store.append(id, batch, other.nextExpectedRevision);
        expect(again).toEqual(first);
        const single = await store.append(id, [event('Noted')], other.nextExpectedRevision);
        expect(await store.append(id, batch, single.nextExpectedRevision)).toEqual(first);
        expect(await types(store, id)).toEqual(['PaymentReceived', 'PaymentReceived', 'RefundIssued', 'Noted']);
      });

      it('re-sending concurrently still stores the events once', async () => {
        const id = stream('payment');
        const batch = [event('PaymentReceived')];
        const results = await Promise.all(Array.from({ length: 10 }, () => store.append(id, batch, 'any')));
        expect(new Set(results.map((r) => r.position)).size).toBe(1);
        expect(await types(store, id)).toEqual(['PaymentReceived']);
      });

      it('refuses a batch whose ids were only partly appended before, and writes nothing', async () => {
        const id = stream('payment');
        const known = event('PaymentReceived');
        await store.append(id, [known], 'no_stream');
        const error = await store.append(id, [event('Other'), known], 'any').catch((e: unknown) => e);
        expect(error instanceof IdempotencyViolation || error instanceof WrongExpectedRevision).toBe(true);
        expect(await types(store, id)).toEqual(['PaymentReceived']);
      });
    });

    describe('finding an event by id', () => {
      it("finds an event of the stream by its id, with its revision, position and content; nothing for another stream's id or an unknown one", async () => {
        const id = stream('order');
        const elsewhere = stream('order');
        const wanted = event('PaymentReceived', { amount: 500 });
        await store.append(id, [event('Opened')], 'no_stream');
        const written = await store.append(id, [wanted, event('Later')], 0n);
        const foreign = event('Foreign');
        await store.append(elsewhere, [foreign], 'no_stream');

        const found = await store.findEvent(id, wanted.eventId);
        expect(found).toMatchObject({ streamId: id, revision: 1n, eventId: wanted.eventId, type: 'PaymentReceived', data: { amount: 500 }, metadata: wanted.metadata });
        const [atRevision] = await collect(store.readStream(id, { fromRevision: 1n, maxCount: 1 }));
        expect(found?.position).toBe(atRevision.position);
        expect(store.comparePositions(found!.position, written.position)).toBeLessThan(0);
        expect(await store.findEvent(id, foreign.eventId)).toBeUndefined();
        expect(await store.findEvent(id, randomUUID())).toBeUndefined();
        expect(await store.findEvent(stream('missing'), wanted.eventId)).toBeUndefined();
      });
    });

    describe('append size', () => {
      it(`refuses an append over ${MAX_APPEND_BYTES} bytes with AppendTooLarge and writes nothing; takes one just under`, async () => {
        const id = stream('order');
        await store.append(id, [event('Opened')], 'no_stream');
        const sized = (bytes: number) => {
          const base = event('Big', { text: '' });
          const overhead = appendSize([{ type: base.type, data: JSON.stringify(base.data), metadata: JSON.stringify(base.metadata) }]);
          return { ...base, data: { text: 'x'.repeat(bytes - overhead) } };
        };
        const tooLarge = sized(MAX_APPEND_BYTES + 1);
        const error = await store.append(id, [tooLarge], 0n).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppendTooLarge);
        expect(error).toMatchObject({ streamId: id, size: MAX_APPEND_BYTES + 1, limit: MAX_APPEND_BYTES });
        // the same bytes spread over a batch count as one append
        const halves = [sized(MAX_APPEND_BYTES / 2), sized(MAX_APPEND_BYTES / 2 + 1)];
        await expect(store.append(id, halves, 0n)).rejects.toBeInstanceOf(AppendTooLarge);
        // multi-byte text counts in UTF-8 bytes: 350,000 characters of 3 bytes each
        await expect(store.append(id, [{ ...event('Big'), data: { text: '龙'.repeat(350_000) } }], 0n)).rejects.toBeInstanceOf(AppendTooLarge);
        expect(await types(store, id)).toEqual(['Opened']);

        const fits = sized(MAX_APPEND_BYTES - 1024);
        expect((await store.append(id, [fits], 0n)).nextExpectedRevision).toBe(1n);
        const [stored] = await collect(store.readStream(id, { fromRevision: 1n }));
        expect(stored.data).toEqual(fits.data);
      });
    });

    describe('reading a stream', () => {
      it('yields nothing for a missing stream', async () => {
        expect(await collect(store.readStream(stream('missing')))).toEqual([]);
      });

      it('reads forwards from a revision, backwards, and at most maxCount', async () => {
        const id = stream('stock');
        await store.append(id, Array.from({ length: 10 }, (_, i) => event(`E${i}`)), 'no_stream');
        expect(await types(store, id, { fromRevision: 7n })).toEqual(['E7', 'E8', 'E9']);
        expect(await types(store, id, { direction: 'backwards', maxCount: 3 })).toEqual(['E9', 'E8', 'E7']);
        expect(await types(store, id, { direction: 'backwards', fromRevision: 1n })).toEqual(['E1', 'E0']);
        expect(await types(store, id, { maxCount: 2 })).toEqual(['E0', 'E1']);
      });

      it('streams a long stream in order, page after page', async () => {
        const id = stream('stock');
        for (let chunk = 0; chunk < 5; chunk++) {
          await store.append(id, Array.from({ length: 250 }, (_, i) => event('StockAdjusted', { n: chunk * 250 + i })), 'any');
        }
        const revisions: bigint[] = [];
        const numbers: number[] = [];
        for await (const recorded of store.readStream(id)) {
          revisions.push(recorded.revision);
          numbers.push((recorded.data as { n: number }).n);
        }
        expect(revisions).toEqual(Array.from({ length: 1250 }, (_, i) => BigInt(i)));
        expect(numbers).toEqual(Array.from({ length: 1250 }, (_, i) => i));
      });

      it('reads exactly maxCount events either way, one, a page, across pages or past the end, from any revision', async () => {
        const id = stream('stock');
        const start = await store.headPosition();
        await store.append(id, Array.from({ length: 1100 }, (_, i) => event('StockAdjusted', { n: i })), 'no_stream');
        const read = async (options: ReadStreamOptions) => (await collect(store.readStream(id, options))).map((recorded) => Number(recorded.revision));
        const range = (from: number, count: number, step: 1 | -1) => Array.from({ length: count }, (_, i) => from + i * step);
        for (const maxCount of [1, 2, 511, 512, 513, 1024, 1100, 5000]) {
          expect(await read({ maxCount })).toEqual(range(0, Math.min(maxCount, 1100), 1));
          expect(await read({ direction: 'backwards', maxCount })).toEqual(range(1099, Math.min(maxCount, 1100), -1));
          expect(await read({ fromRevision: 600n, maxCount })).toEqual(range(600, Math.min(maxCount, 500), 1));
          expect(await read({ direction: 'backwards', fromRevision: 600n, maxCount })).toEqual(range(600, Math.min(maxCount, 601), -1));
          // A shared server's other writers may interleave their events: ours still come in order, up to maxCount in all.
          const log = await collect(store.readAll({ fromPosition: start, maxCount }));
          const ours = log.filter((recorded) => recorded.streamId === id).map((recorded) => (recorded.data as { n: number }).n);
          expect(ours).toEqual(range(0, ours.length, 1));
          expect(log.length).toBeLessThanOrEqual(maxCount);
          if (ours.length === log.length) expect(ours.length).toBe(Math.min(maxCount, 1100));
        }
        expect(await read({ direction: 'backwards' })).toEqual(range(1099, 1100, -1));
      });
    });

    describe('reading the whole log', () => {
      it('orders events by position, keeps each stream in revision order, and reads after a position', async () => {
        const a = stream('order');
        const b = stream('order');
        const start = await store.headPosition();
        await store.append(a, [event('A0')], 'no_stream');
        await store.append(b, [event('B0')], 'no_stream');
        await store.append(a, [event('A1'), event('A2')], 0n);
        await store.append(b, [event('B1')], 0n);

        const ours = (await collect(store.readAll({ fromPosition: start }))).filter((e) => e.streamId === a || e.streamId === b);
        expect(ours.map((e) => e.type)).toEqual(['A0', 'B0', 'A1', 'A2', 'B1']);
        for (let i = 1; i < ours.length; i++) expect(store.comparePositions(ours[i - 1].position, ours[i].position)).toBeLessThan(0);

        const afterSecond = (await collect(store.readAll({ fromPosition: ours[1].position }))).filter((e) => e.streamId === a || e.streamId === b);
        expect(afterSecond.map((e) => e.type)).toEqual(['A1', 'A2', 'B1']);
        expect(await store.headPosition()).toBe((await collect(store.readAll({ fromPosition: ours[4].position }))).at(-1)?.position ?? ours[4].position);
      });
    });

    describe('subscriptions', () => {
      it('catch up, then deliver events appended later, live and in order, until closed', async () => {
        const id = stream('order');
        const start = await store.headPosition();
        await store.append(id, [event('Before0'), event('Before1')], 'no_stream');
        const subscription = store.subscribe({ fromPosition: start });
        const received: string[] = [];
        const done = (async () => {
          for await (const recorded of subscription) {
            if (recorded.streamId !== id) continue;
            received.push(recorded.type);
            if (received.length === 5) await subscription.close();
          }
        })();
        await until(() => received.length === 2);
        await store.append(id, [event('Live2')], 1n);
        await store.append(id, [event('Live3'), event('Live4')], 2n);
        await done;
        expect(received).toEqual(['Before0', 'Before1', 'Live2', 'Live3', 'Live4']);
      });

      it('closing a subscription that waits for events ends its iteration', async () => {
        const subscription = store.subscribe({ fromPosition: await store.headPosition() });
        const iteration = (async () => {
          let count = 0;
          for await (const _ of subscription) count++;
          return count;
        })();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();
        await expect(iteration).resolves.toBeGreaterThanOrEqual(0);
      });
    });

    describe('concurrency', () => {
      it('50 concurrent appenders on one stream: exactly one winner per revision, no gaps, no duplicates', async () => {
        const id = stream('stock');
        await store.append(id, [event('Opened')], 'no_stream');
        const appender = async (writer: number): Promise<number> => {
          let conflicts = 0;
          for (;;) {
            const [head] = await collect(store.readStream(id, { direction: 'backwards', maxCount: 1 }));
            try {
              await store.append(id, [event('Reserved', { writer })], head.revision);
              return conflicts;
            } catch (error) {
              if (!(error instanceof WrongExpectedRevision)) throw error;
              conflicts++;
            }
          }
        };
        const conflicts = await Promise.all(Array.from({ length: 50 }, (_, writer) => appender(writer)));
        const recorded = await collect(store.readStream(id));
        expect(recorded.map((e) => e.revision)).toEqual(Array.from({ length: 51 }, (_, i) => BigInt(i)));
        const writers = recorded.slice(1).map((e) => (e.data as { writer: number }).writer);
        expect(new Set(writers).size).toBe(50);
        expect(conflicts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      });

      it('50 appenders racing for the same revision: exactly one wins, the others get WrongExpectedRevision', async () => {
        const id = stream('stock');
        await store.append(id, [event('Opened')], 'no_stream');
        const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, writer) => store.append(id, [event('Reserved', { writer })], 0n)));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedRevision);
        expect(await types(store, id)).toEqual(['Opened', 'Reserved']);
      });

      it('1,000 streams written interleaved keep their own order and all their events', async () => {
        const streams = Array.from({ length: 1000 }, () => stream('order'));
        const start = await store.headPosition();
        for (let round = 0; round < 3; round++) {
          await Promise.all(streams.map((id) => store.append(id, [event(`R${round}`, { id })], round === 0 ? 'no_stream' : BigInt(round - 1))));
        }
        const all = (await collect(store.readAll({ fromPosition: start }))).filter((e) => streams.includes(e.streamId));
        expect(all).toHaveLength(3000);
        const seen = new Map<string, string[]>();
        for (const recorded of all) seen.set(recorded.streamId, [...(seen.get(recorded.streamId) ?? []), recorded.type]);
        for (const id of streams) expect(seen.get(id)).toEqual(['R0', 'R1', 'R2']);
        const sample = streams[617];
        expect((await collect(store.readStream(sample))).map((e) => [e.revision, e.type])).toEqual([[0n, 'R0'], [1n, 'R1'], [2n, 'R2']]);
      });
    });
  });
}

function event(type: string, data: Record<string, unknown> = {}): EventToAppend {
  return { eventId: randomUUID(), type, data, metadata: { commandId: randomUUID(), actor: { id: 'contract', roles: [] } } };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function types(store: EventStore, id: string, options?: Parameters<EventStore['readStream']>[1]): Promise<string[]> {
  return (await collect(store.readStream(id, options))).map((e: RecordedEvent) => e.type);
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
