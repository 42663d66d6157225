import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { eventStoreContract } from './event-store.contract.js';
import { expectedLastEventIdCases } from './expected-last-event-id.cases.js';

// JXC_WORKERS > 1: the store waits for the write lock on a timer (group-commit.ts); the contract holds as with one writer.
eventStoreContract('embedded SQLite shared by several processes (full)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-events-shared-'));
  const store = SqliteEventStore.open({ dataDir, durability: 'full', sharedWriters: true });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

expectedLastEventIdCases('embedded SQLite shared by several processes (full)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-events-shared-'));
  const store = SqliteEventStore.open({ dataDir, durability: 'full', sharedWriters: true });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
