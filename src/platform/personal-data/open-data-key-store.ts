import { type Config } from '../config/config.js';
import { type DataKeyStore } from './data-key-store.port.js';
import { SqliteDataKeyStore } from './sqlite-data-key-store.js';

/**
 * Data keys live beside the views: with MONGODB_URL, the collection `jxc_data_keys` of the read store's database
 * (mongodb-data-key-store.ts); else keys.sqlite in the data directory. Used by the service and the CLI.
 */
export async function openDataKeyStore(config: Config): Promise<DataKeyStore> {
  if (config.mongodbUrl) {
    const { MongoDataKeyStore } = await import('./mongodb-data-key-store.js');
    return MongoDataKeyStore.connect({ url: config.mongodbUrl });
  }
  return SqliteDataKeyStore.open(config.dataDir);
}
