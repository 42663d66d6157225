import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';

import { CONFIG, type Config } from '../config/config.js';
import { SqliteReadStore } from '../infrastructure/sqlite/read-store/sqlite-read-store.js';
import { READ_STORE, type ReadStore } from './read-store.port.js';

/** The one place that chooses the read store adapter: MongoDB when MONGODB_URL is set, else SQLite (views.sqlite). */
export async function openReadStore(config: Config): Promise<ReadStore> {
  if (config.mongodbUrl) {
    const { MongoReadStore } = await import('../infrastructure/mongodb/read-store/mongodb-read-store.js');
    return MongoReadStore.connect({ url: config.mongodbUrl });
  }
  return SqliteReadStore.open({ dataDir: config.dataDir });
}

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
