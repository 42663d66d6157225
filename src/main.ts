import { Logger } from '@nestjs/common';
import { type Server } from 'node:http';

import { createApp } from './app.js';
import { ConfigError, loadConfig } from './platform/config/config.js';
import { gracefulHttpStop } from './platform/http/graceful-stop.js';

/** How long a stop waits for the requests in flight before closing their connections. */
const DRAIN_TIMEOUT_MS = 10_000;
/** How long the stores get to flush and close after that before the process exits anyway (with 1). */
const CLOSE_TIMEOUT_MS = 20_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`jxc: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  const http = gracefulHttpStop(app.getHttpServer() as Server);
  app.use(http.refuseNewWork.bind(http));
  await app.listen(config.port);
  const store = config.eventStoreUrl ? 'EventStoreDB' : `SQLite in ${config.dataDir} (durability ${config.durability})`;
  const logger = new Logger('jxc');
  logger.log(`listening on http://localhost:${config.port}/api (events: ${store}; docs: /api/docs)`);
  if (!config.bootstrapAdminKey) {
    logger.warn('JXC_BOOTSTRAP_ADMIN_KEY is not set: only API keys created earlier are accepted. Set it (16+ characters) to create keys with POST /api/keys.');
  }

  // Graceful stop: no new connections, the requests in flight answered (10 s at most), then Nest's
  // shutdown hooks close the stores (commits flushed, projection worker and recovery stopped), exit 0.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} received again: still stopping`);
      return;
    }
    stopping = true;
    logger.log(`${signal} received: finishing the requests in flight (${DRAIN_TIMEOUT_MS / 1000} s at most), then closing the stores`);
    setTimeout(() => {
      logger.error(`the stores did not close within ${(DRAIN_TIMEOUT_MS + CLOSE_TIMEOUT_MS) / 1000} s of ${signal}: exiting anyway`);
      process.exit(1);
    }, DRAIN_TIMEOUT_MS + CLOSE_TIMEOUT_MS).unref();
    try {
      const { unfinished } = await http.stop(DRAIN_TIMEOUT_MS);
      if (unfinished > 0) logger.warn(`${unfinished} request(s) still running after ${DRAIN_TIMEOUT_MS / 1000} s: their connections were closed`);
      await app.close();
      logger.log('stopped');
      process.exit(0);
    } catch (error) {
      logger.error(`stopping failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

await main();
