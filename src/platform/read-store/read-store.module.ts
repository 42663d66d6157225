import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';

import { CONFIG, type Config } from '../config/config.js';
import { openReadStore } from './open-read-store.js';
import { READ_STORE, type ReadStore } from './read-store.port.js';
import { withReadTimeout } from './timeout-read-store.js';

@Global()
@Module({
  // Every read of the service answers within 2 s or fails with ReadStoreUnavailable (503 read_store_unavailable).
  providers: [{ provide: READ_STORE, inject: [CONFIG], useFactory: async (config: Config) => withReadTimeout(await openReadStore(config)) }],
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
