import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';

import { CONFIG } from '../config/config.js';
import { EVENT_STORE, type EventStore } from './event-store.port.js';
import { openEventStore } from './open-event-store.js';

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
