import { describe, expect, it } from '@jest/globals';
import { type EventStoreDBClient } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';

import { collect, event, eventStoreContract } from '../../../test/contract/event-store.contract.js';
import { EventStoreClosed, IdempotencyViolation, WrongExpectedRevision } from '../../event-store/errors.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { FakeEventStoreDbClient, type FakeServerOptions } from './fake-eventstoredb-client.test.js';

/**
 * The adapter's own logic (idempotency, conflicts, exclusive positions, system-event filtering, streaming,
 * subscriptions, close) over an in-memory client that follows the server's rules: the whole contract suite,
 * plus the server behaviours the suite cannot provoke. The real server runs the suite in
 * test/contract/eventstoredb-event-store.int.spec.ts when EVENTSTORE_URL is set.
 */
function open(options: FakeServerOptions = {}) {
  const client = new FakeEventStoreDbClient(options);
  const store = EventStoreDbEventStore.fromClient(client as unknown as EventStoreDBClient);
  return { client, store };
}

eventStoreContract('EventStoreDB adapter over an in-memory client', async () => {
  const { store } = open();
  return { store, dispose: () => store.close() };
});

eventStoreContract('EventStoreDB adapter over an in-memory client (inclusive subscription starts, positionless idempotent answers)', async () => {
  const { store } = open({ inclusiveSubscriptions: true, omitIdempotentPosition: true });
  return { store, dispose: () => store.close() };
});

describe('EventStoreDB adapter: server behaviours beyond the contract', () => {
  const stream = () => `order-${randomUUID()}`;

  it('returns the original result when the server drops an idempotent retry (timeout)', async () => {
    const { store } = open({ dropIdempotentRetries: true });
    const id = stream();
    const batch = [event('OrderPlaced'), event('StockReserved')];
    const first = await store.append(id, batch, 'no_stream');
    await expect(store.append(id, batch, 'no_stream')).resolves.toEqual(first);
    await store.close();
  });

  it('refuses a retry that overlaps the stream only partly under an exact expectation, writing nothing', async () => {
    const { store } = open();
    const id = stream();
    const a = event('A');
    const b = event('B');
    await store.append(id, [a], 'no_stream');
    const error = await store.append(id, [a, b], 'no_stream').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyViolation);
    expect((await collect(store.readStream(id))).map((e) => e.type)).toEqual(['A']);
  });

  it('refuses a batch that repeats one of its own ids', async () => {
    const { store, client } = open();
    const twice = event('A');
    await expect(store.append(stream(), [twice, twice], 'any')).rejects.toBeInstanceOf(IdempotencyViolation);
    expect(client.appendCalls).toBe(0);
  });

  it('rejects an empty append like the embedded store, and ids EventStoreDB would refuse, without calling the server', async () => {
    const { store, client } = open();
    await expect(store.append(stream(), [], 'any')).rejects.toThrow(TypeError);
    await expect(store.append(stream(), [{ ...event('A'), eventId: 'command-42' }], 'any')).rejects.toThrow(/not a UUID/);
    await expect(store.append('$settings', [event('A')], 'any')).rejects.toThrow(/system streams/);
    expect(client.appendCalls).toBe(0);
  });

  it('never shows system events in readAll, subscribe or headPosition', async () => {
    const { store, client } = open();
    for (let i = 0; i < 10; i++) await store.append(stream(), [event('OrderPlaced')], 'no_stream');
    expect(client.log.some((e) => e.streamId.startsWith('$'))).toBe(true);
    const all = await collect(store.readAll());
    expect(all).toHaveLength(10);
    expect(all.every((e) => !e.streamId.startsWith('$') && !e.type.startsWith('$'))).toBe(true);
    expect(await store.headPosition()).toBe(all[9].position);
    expect(client.log.at(-1)?.streamId.startsWith('$')).toBe(true);

    const subscription = store.subscribe();
    const seen: string[] = [];
    for await (const recorded of subscription) {
      seen.push(recorded.type);
      if (seen.length === 10) await subscription.close();
    }
    expect(seen).toEqual(Array.from({ length: 10 }, () => 'OrderPlaced'));
    await store.close();
  });

  it('reads the whole log after a position, exclusively, at most maxCount', async () => {
    const { store } = open();
    const id = stream();
    await store.append(id, Array.from({ length: 6 }, (_, i) => event(`E${i}`)), 'no_stream');
    const all = await collect(store.readAll());
    expect((await collect(store.readAll({ fromPosition: all[1].position, maxCount: 3 }))).map((e) => e.type)).toEqual(['E2', 'E3', 'E4']);
    expect(await collect(store.readAll({ maxCount: 0 }))).toEqual([]);
    expect(() => store.subscribe({ fromPosition: '42' })).toThrow(/not a position of this store/);
  });

  it('an empty log has no head position', async () => {
    const { store } = open();
    expect(await store.headPosition()).toBeUndefined();
  });

  it('stream_exists on a missing stream names no actual revision; a stale exact revision names the actual one', async () => {
    const { store } = open();
    const id = stream();
    await expect(store.append(id, [event('A')], 'stream_exists')).rejects.toMatchObject({ expected: 'stream_exists', actual: undefined });
    await store.append(id, [event('A'), event('B')], 'any');
    const error = await store.append(id, [event('C')], 0n).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedRevision);
    expect(error).toMatchObject({ streamId: id, expected: 0n, actual: 1n });
  });

  it('close lets in-flight appends finish, then refuses new work and disposes the client', async () => {
    const { store, client } = open();
    const id = stream();
    const pending = store.append(id, [event('A')], 'no_stream');
    const closing = store.close();
    await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0n });
    await closing;
    expect(client.disposed).toBe(true);
    await expect(store.append(id, [event('B')], 0n)).rejects.toBeInstanceOf(EventStoreClosed);
    expect(() => store.readStream(id)[Symbol.asyncIterator]()).toThrow(EventStoreClosed);
    expect(() => store.subscribe()).toThrow(EventStoreClosed);
    await store.close();
  });

  it('close ends a subscription that is waiting for events', async () => {
    const { store } = open();
    const subscription = store.subscribe();
    const iteration = collect(subscription);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.close();
    await expect(iteration).resolves.toEqual([]);
  });

  it('stops the underlying read when the caller stops iterating', async () => {
    const { store } = open();
    const id = stream();
    await store.append(id, Array.from({ length: 100 }, (_, i) => event(`E${i}`)), 'no_stream');
    for await (const recorded of store.readStream(id)) {
      expect(recorded.type).toBe('E0');
      break;
    }
    const [last] = await collect(store.readStream(id, { direction: 'backwards', maxCount: 1 }));
    expect(last.revision).toBe(99n);
  });
});
