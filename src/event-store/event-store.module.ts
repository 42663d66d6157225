import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';

import { CONFIG, type Config } from '../config/config.js';
import { SqliteEventStore } from '../infrastructure/sqlite/event-store/sqlite-event-store.js';
import { EVENT_STORE, type EventStore } from './event-store.port.js';

/** The one place that chooses the event store adapter: EventStoreDB when EVENTSTORE_URL is set, else SQLite. */
export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.eventStoreUrl) {
    // Loaded only when used: the gRPC client is heavy and the embedded store does not need it.
    const { EventStoreDbEventStore } = await import('../infrastructure/eventstoredb/eventstoredb-event-store.js');
    return EventStoreDbEventStore.connect(config.eventStoreUrl);
  }
  return SqliteEventStore.open({ dataDir: config.dataDir, durability: config.durability });
}

@Global()
@Module({
  providers: [{ provide: EVENT_STORE, inject: [CONFIG], useFactory: openEventStore }],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  private readonly logger = new Logger('EventStore');

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Runs after the HTTP server has stopped and in-flight requests have been answered: commits what is queued. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log('event store closed');
  }
}
