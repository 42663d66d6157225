import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { type Config, ConfigError, loadConfig } from '../platform/config/config.js';
import { openEventStore } from '../platform/event-store/open-event-store.js';
import { type EventStore } from '../platform/event-store/event-store.port.js';
import { ensureViews } from '../platform/projection-runner/view-catalog.js';
import { openReadStore } from '../platform/read-store/open-read-store.js';
import { type ReadStore } from '../platform/read-store/read-store.port.js';
import { usageError } from './cli-error.js';
import { CliDisclosure } from './personal-data.js';

export interface Stores {
  readonly config: Config;
  readonly events: EventStore;
  readonly views: ReadStore;
  /** Where the stores are, for messages: `SQLite in ./data`, `EventStoreDB`, `MongoDB`. */
  readonly description: string;
  /** Opens the personal data in what a command prints (the master key is needed only when there are some). */
  readonly personalData: CliDisclosure;
  close(): Promise<void>;
}

/** The service's configuration (JXC_DATA_DIR, EVENTSTORE_URL, MONGODB_URL), bad values as a usage error. */
export function cliConfig(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(`invalid configuration: ${error.message}`);
    throw error;
  }
}

/** The stores a command opens; `readsLog`: it reads the whole log front to back (a small page cache on SQLite). */
export interface StoreNeeds {
  readonly events: boolean;
  readonly views: boolean;
  readonly readsLog?: boolean;
}

/**
 * The stores the service uses, opened by the same functions as its modules, with every view
 * registered (`ensureViews`, as the service does at start-up). The embedded event store must
 * exist already: a mistyped JXC_DATA_DIR is an error, not a new empty log.
 */
export async function openStores(config: Config, needs: StoreNeeds): Promise<Stores> {
  if (needs.events && !config.eventStoreUrl && !existsSync(join(config.dataDir, 'events.sqlite'))) {
    throw usageError(`no event store at ${join(config.dataDir, 'events.sqlite')}: set JXC_DATA_DIR to the service's data directory (or EVENTSTORE_URL)`);
  }
  const events = needs.events ? await openEventStore(config, needs.readsLog === true ? 'log-reader' : 'commands') : undefined;
  let views: ReadStore | undefined;
  try {
    views = needs.views ? await openReadStore(config) : undefined;
    if (views) await ensureViews(views);
  } catch (error) {
    await views?.close();
    await events?.close();
    throw error;
  }
  const description = [
    needs.events ? (config.eventStoreUrl ? 'events in EventStoreDB' : `events in ${join(config.dataDir, 'events.sqlite')}`) : undefined,
    needs.views ? (config.mongodbUrl ? 'views in MongoDB' : `views in ${join(config.dataDir, 'views.sqlite')}`) : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const personalData = new CliDisclosure(config);
  return {
    config,
    events: events as EventStore,
    views: views as ReadStore,
    description,
    personalData,
    async close() {
      await personalData.close();
      await views?.close();
      await events?.close();
    },
  };
}
