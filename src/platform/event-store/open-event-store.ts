import { type Config, severalProcesses } from '../config/config.js';
import { LOG_READER_PAGE_CACHE_KIB, SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { type EventStore } from './event-store.port.js';

/**
 * The one place that chooses the event store adapter: EventStoreDB when EVENTSTORE_URL is set, else SQLite. Used by
 * EventStoreModule, the projection worker and the CLI. `use`: 'log-reader' for a connection that reads the log front
 * to back (a small page cache on SQLite: LOG_READER_PAGE_CACHE_KIB).
 */
export async function openEventStore(config: Config, use: 'commands' | 'log-reader' = 'commands'): Promise<EventStore> {
  if (config.eventStoreUrl) {
    // Loaded only when used: the gRPC client is heavy and the embedded store does not need it.
    const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store.js');
    return EventStoreDbEventStore.connect(config.eventStoreUrl);
  }
  return SqliteEventStore.open({
    dataDir: config.dataDir,
    durability: config.durability,
    sharedWriters: severalProcesses(config),
    pageCacheKib: use === 'log-reader' ? LOG_READER_PAGE_CACHE_KIB : undefined,
  });
}
