import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';

import { CONFIG } from '../config/config.js';
import { openReadStore } from './open-read-store.js';
import { READ_STORE, type ReadStore } from './read-store.port.js';

@Global()
@Module({
  providers: [{ provide: READ_STORE, inject: [CONFIG], useFactory: openReadStore }],
  exports: [READ_STORE],
})
export class ReadStoreModule implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadStore');

  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log('read store closed');
  }
}
