import { type Config } from '../config/config.js';
import { type LeaseStore } from './lease.port.js';
import { MongoLeaseStore } from './mongodb-lease-store.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';

/** Opens the lease store of a deployment: a Leadership asks for it once the stores are open. */
export type LeaseStoreOpener = (config: Config) => Promise<LeaseStore>;

/**
 * Injection token of the opener Leadership uses instead of `openLeaseStore` (a test wraps the real store to make it
 * stall or answer late).
 */
export const LEASE_STORE_OPENER = Symbol('LEASE_STORE_OPENER');

/**
 * The processes' shared lease store: with EventStoreDB, the MongoDB read store's database (loadConfig requires
 * MONGODB_URL with EVENTSTORE_URL when JXC_WORKERS > 1); else the embedded event store's file, which the event store
 * made with its schema.
 */
export const openLeaseStore: LeaseStoreOpener = async ({ eventStoreUrl, mongodbUrl, dataDir }) =>
  eventStoreUrl !== undefined && mongodbUrl !== undefined ? await MongoLeaseStore.connect({ url: mongodbUrl }) : new SqliteLeaseStore(dataDir);
