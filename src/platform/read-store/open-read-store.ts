import { type Config } from '../config/config.js';
import { SqliteReadStore } from './sqlite/sqlite-read-store.js';
import { type ReadStore } from './read-store.port.js';

/** The one place that chooses the read store adapter: MongoDB when MONGODB_URL is set, else SQLite (views.sqlite). Used by ReadStoreModule and the CLI. */
export async function openReadStore(config: Config): Promise<ReadStore> {
  if (config.mongodbUrl) {
    const { MongoReadStore } = await import('./mongodb/mongodb-read-store.js');
    return MongoReadStore.connect({ url: config.mongodbUrl });
  }
  return SqliteReadStore.open({ dataDir: config.dataDir });
}
