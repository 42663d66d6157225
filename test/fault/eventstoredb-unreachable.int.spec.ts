import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStoreDBClient } from '@eventstore/db-client';
import { createServer, type Server, type Socket } from 'node:net';
import { v4 as uuidv4 } from 'uuid';

import { StorageUnavailable } from '../../src/event-store/errors.js';
import { type EventStore } from '../../src/event-store/event-store.port.js';
import { StoreHealth, withStoreHealth } from '../../src/event-store/store-health.js';
import { EventStoreDbEventStore } from '../../src/infrastructure/eventstoredb/eventstoredb-event-store.js';

/**
 * No EventStoreDB runs here, and none is needed to see what the adapter answers when the server cannot be
 * reached: the real client against a port where nothing listens (connection refused: gRPC UNAVAILABLE) and
 * against a server that accepts connections and never answers (the client's deadline: DEADLINE_EXCEEDED).
 */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function failureOf(operation: () => Promise<unknown>): Promise<unknown> {
  return operation().then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

const event = () => ({ eventId: uuidv4(), type: 'Probed', data: {}, metadata: {} });

describe.each([
  ['nothing listens (connection refused)', 'refused'],
  ...(process.env.JXC_TEST_SILENT_ESDB ? ([['a server accepts and never answers (deadline)', 'silent']] as const) : []),
] as const)('EventStoreDB adapter when %s', (_title, kind) => {
  const sockets = new Set<Socket>();
  let server: Server;
  let store: EventStore;
  let health: StoreHealth;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const port = await listen(server);
    if (kind === 'refused') await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false&defaultDeadline=1500&keepAliveInterval=-1`);
    health = new StoreHealth();
    store = withStoreHealth(EventStoreDbEventStore.fromClient(client), health);
  });
  afterAll(async () => {
    await store.close().catch(() => undefined);
    for (const socket of sockets) socket.destroy();
    if (kind === 'silent') await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('refuses an append with StorageUnavailable, the client error as its cause, and health says the store cannot write', async () => {
    const error = await failureOf(() => store.append(`probe-${uuidv4()}`, [event()], 'no_stream'));
    expect(error).toBeInstanceOf(StorageUnavailable);
    expect((error as StorageUnavailable).operation).toBe('append');
    expect((error as Error).cause).toMatchObject({ type: expect.stringMatching(/^(unavailable|deadline-exceeded|cancelled|unknown)$/) });
    expect(health.snapshot()).toMatchObject({ status: 'unavailable', writes: 'unavailable', since: expect.any(String) });
  });

  it('fails reads and the head position with StorageUnavailable too', async () => {
    const read = await failureOf(async () => {
      for await (const recorded of store.readStream('probe-stream')) return recorded;
      return undefined;
    });
    expect(read).toBeInstanceOf(StorageUnavailable);
    expect(await failureOf(() => store.headPosition())).toBeInstanceOf(StorageUnavailable);
    expect(health.snapshot()).toMatchObject({ status: 'unavailable', reads: 'unavailable' });
  });
});
