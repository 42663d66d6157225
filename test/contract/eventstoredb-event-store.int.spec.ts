import { describe, expect, it } from '@jest/globals';
import { EventStoreDBClient } from '@eventstore/db-client';

import { EventStoreDbEventStore } from '../../src/platform/event-store/eventstoredb/eventstoredb-event-store.js';
import { eventStoreContract } from './event-store.contract.js';

// The same contract as the embedded store, against a real EventStoreDB when EVENTSTORE_URL points at one
// (docker compose up -d eventstore; EVENTSTORE_URL=esdb://localhost:2113?tls=false). Stream names carry a
// per-run prefix, so a shared or long-lived server is fine; the suite does not delete what it wrote.
const url = process.env.EVENTSTORE_URL;

if (url) {
  eventStoreContract('EventStoreDB', async () => {
    const store = await EventStoreDbEventStore.connect(url);
    return { store, dispose: () => store.close() };
  });
} else {
  console.log('EventStoreDB contract suite skipped: EVENTSTORE_URL is not set (start it with docker compose up -d eventstore)');

  describe('EventStoreDB adapter without a server', () => {
    it('loads, and orders positions as (commit, prepare) numbers, not as text', async () => {
      // A client is only a configuration until its first call: nothing connects here.
      const store = EventStoreDbEventStore.fromClient(EventStoreDBClient.connectionString('esdb://localhost:2113?tls=false'));
      try {
        expect(store.kind).toBe('eventstoredb');
        expect(store.comparePositions('1/1', '1/2')).toBeLessThan(0);
        expect(store.comparePositions('1/2', '2/0')).toBeLessThan(0);
        expect(store.comparePositions('1/1', '2/0')).toBeLessThan(0);
        expect(store.comparePositions('10/0', '9/9')).toBeGreaterThan(0);
        expect(store.comparePositions('2/0', '2/0')).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
}
