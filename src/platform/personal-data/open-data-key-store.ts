import { type Config } from '../config/config.js';
import { type DataKeyStore } from './data-key-store.port.js';
// A static import: loaded lazily, it races the read store's lazy import of the same driver while Nest builds both
// providers at once, and jest's ESM loader fails one with "request for 'mongodb' is not in cache".
import { MongoDataKeyStore } from './mongodb-data-key-store.js';
import { SqliteDataKeyStore } from './sqlite-data-key-store.js';

/**
 * Data keys live beside the views: with MONGODB_URL, the collection `jxc_data_keys` of the read store's database
 * (mongodb-data-key-store.ts); else keys.sqlite in the data directory. Used by the service and the CLI.
 */
export async function openDataKeyStore(config: Config): Promise<DataKeyStore> {
  if (config.mongodbUrl) {
    return MongoDataKeyStore.connect({ url: config.mongodbUrl });
  }
  return SqliteDataKeyStore.open(config.dataDir);
}
