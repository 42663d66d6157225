import { type Config, severalProcesses } from '../config/config.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { type EventStore } from './event-store.port.js';

/** The one place that chooses the event store adapter: EventStoreDB when EVENTSTORE_URL is set, else SQLite. Used by EventStoreModule and the CLI. */
export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.eventStoreUrl) {
    // Loaded only when used: the gRPC client is heavy and the embedded store does not need it.
    const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store.js');
    return EventStoreDbEventStore.connect(config.eventStoreUrl);
  }
  return SqliteEventStore.open({ dataDir: config.dataDir, durability: config.durability, sharedWriters: severalProcesses(config) });
}
