import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStoreDBClient } from '@eventstore/db-client';
import { Logger } from '@nestjs/common';
import { createServer, type Server, type Socket } from 'node:net';
import { v4 as uuidv4 } from 'uuid';

import { StorageUnavailable } from '../../src/platform/event-store/errors.js';
import { type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { StoreHealth, withStoreHealth } from '../../src/platform/event-store/store-health.js';
import { EventStoreDbEventStore } from '../../src/platform/event-store/eventstoredb/eventstoredb-event-store.js';

/**
 * No EventStoreDB runs here, and none is needed to see what the adapter answers when the server cannot be
 * reached: the real client against a port where nothing listens (connection refused: gRPC UNAVAILABLE) and
 * against a server that accepts connections and never answers (the client 6.2 sets no deadline on reads nor
 * on its server-features call: the service's read deadline, withStoreHealth, gives up on reads; an append to
 * such a server is not bounded, see REMOTE_READ_DEADLINE_MS).
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
  ['a server accepts and never answers (the read deadline)', 'silent'],
] as const)('EventStoreDB adapter when %s', (_title, kind) => {
  const sockets = new Set<Socket>();
  let server: Server;
  let store: EventStore;
  let health: StoreHealth;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const port = await listen(server);
    if (kind === 'refused') await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${port}?tls=false&defaultDeadline=1500&keepAliveInterval=-1`);
    health = new StoreHealth();
    store = withStoreHealth(EventStoreDbEventStore.fromClient(client), health, { readDeadlineMs: 1000, appendDeadlineMs: 1000 });
  });
  afterAll(async () => {
    // close() waits for in-flight appends; a silent server never answers the abandoned ones.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([store.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    for (const socket of sockets) socket.destroy();
    if (kind === 'silent') await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  (kind === 'refused' ? it : it.skip)('refuses an append with StorageUnavailable, the client error as its cause, and health says the store cannot write', async () => {
    const error = await failureOf(() => store.append(`probe-${uuidv4()}`, [event()], 'no_stream'));
    expect(error).toBeInstanceOf(StorageUnavailable);
    expect((error as StorageUnavailable).operation).toBe('append');
    expect((error as Error).cause).toMatchObject({ type: expect.stringMatching(/^(unavailable|deadline-exceeded|cancelled|unknown)$/) });
    expect(health.snapshot()).toMatchObject({ status: 'unavailable', writes: 'unavailable', since: expect.any(String) });
  });

  (kind === 'silent' ? it : it.skip)('gives up an append after the append deadline with StorageUnavailable, and health says the store cannot write', async () => {
    const error = await failureOf(() => store.append(`probe-${uuidv4()}`, [event()], 'no_stream'));
    expect(error).toBeInstanceOf(StorageUnavailable);
    expect((error as StorageUnavailable).operation).toBe('append');
    expect(health.snapshot()).toMatchObject({ status: 'unavailable', writes: 'unavailable' });
  });

  it('fails reads and the head position with StorageUnavailable too', async () => {
    const read = await failureOf(async () => {
      for await (const recorded of store.readStream('probe-stream')) return recorded;
      return undefined;
    });
    expect(read).toBeInstanceOf(StorageUnavailable);
    expect(await failureOf(() => store.headPosition())).toBeInstanceOf(StorageUnavailable);
    expect(health.snapshot()).toMatchObject({ status: 'unavailable', reads: 'unavailable', since: expect.any(String) });
  });
});
