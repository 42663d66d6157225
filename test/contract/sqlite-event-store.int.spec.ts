import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { eventStoreContract } from './event-store.contract.js';
import { expectedLastEventIdCases } from './expected-last-event-id.cases.js';

for (const durability of ['full', 'normal'] as const) {
  expectedLastEventIdCases(`embedded SQLite (${durability})`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-events-'));
    const store = SqliteEventStore.open({ dataDir, durability });
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
  eventStoreContract(`embedded SQLite (${durability})`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-events-'));
    const store = SqliteEventStore.open({ dataDir, durability });
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  });
}
