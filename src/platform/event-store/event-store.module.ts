import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';

import { CONFIG, type Config } from '../config/config.js';
import { EVENT_STORE, type EventStore } from './event-store.port.js';
import { openEventStore } from './open-event-store.js';
import { StoreHealth, withStoreHealth } from './store-health.js';

/**
 * The adapter the configuration chooses (openEventStore), before the service's decorations: the one provider
 * to override to put something between the service and the real store (the fault tests' FaultyEventStore).
 */
export const EVENT_STORE_ADAPTER = Symbol('EventStoreAdapter');

@Global()
@Module({
  providers: [
    StoreHealth,
    { provide: EVENT_STORE_ADAPTER, inject: [CONFIG], useFactory: (config: Config) => openEventStore(config) },
    // The service's store reports its failures and recoveries to StoreHealth (/api/health); the CLI's does not.
    { provide: EVENT_STORE, inject: [EVENT_STORE_ADAPTER, StoreHealth], useFactory: (adapter: EventStore, health: StoreHealth) => withStoreHealth(adapter, health) },
  ],
  exports: [EVENT_STORE, StoreHealth],
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
