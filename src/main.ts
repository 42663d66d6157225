import { type INestApplication, Logger } from '@nestjs/common';
import cluster from 'node:cluster';
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

import { createApp } from './app.js';
import { Leadership } from './platform/cluster/leadership.js';
import { stopWithParent } from './platform/cluster/stop-with-parent.js';
import { supervise } from './platform/cluster/supervisor.js';
import { type Config, ConfigError, loadConfig } from './platform/config/config.js';
import { loosePermissions } from './platform/files/permissions.js';
import { gracefulHttpStop } from './platform/http/graceful-stop.js';
import { checkMasterKey } from './platform/personal-data/open-personal-data.js';

/** How long a stop waits for the requests in flight before closing their connections. */
const DRAIN_TIMEOUT_MS = 10_000;
/** How long the stores get to flush and close after that before the process exits anyway (with 1). */
const CLOSE_TIMEOUT_MS = 20_000;

/**
 * The configuration and the application built from it; a bad setting, an unreadable TLS file, or sealed personal
 * data without their master key is one line and exit 1.
 */
async function configured(): Promise<{ config: Config; app: INestApplication }> {
  try {
    const config = loadConfig();
    await checkMasterKey(config);
    return { config, app: await createApp(config) };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`jxc: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** `http://127.0.0.1:3000/api`: the scheme and the address the server really listens on. */
function listeningOn(server: Server, config: Config): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const everywhere = address.address === '0.0.0.0' || address.address === '::' ? ' (every interface)' : '';
  return `${config.tls ? 'https' : 'http'}://${host}:${address.port}/api${everywhere}`;
}

/** JXC_WORKERS, read before anything opens: the primary of several processes opens no store. */
function workersWanted(): number {
  try {
    return loadConfig().workers ?? 1;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`jxc: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const workers = workersWanted();
  if (workers > 1 && cluster.isPrimary) {
    supervise(workers);
    return;
  }
  const { config, app } = await configured();
  const http = gracefulHttpStop(app.getHttpServer() as Server);
  app.use(http.refuseNewWork.bind(http));
  if (cluster.isWorker) {
    // Which of the JXC_WORKERS processes answered (node:cluster's worker id, 1..).
    const worker = String(cluster.worker!.id);
    app.use((_request: IncomingMessage, response: ServerResponse, next: () => void) => {
      response.setHeader('X-Jxc-Worker', worker);
      next();
    });
  }
  await app.listen(config.port, config.host);
  const store = config.eventStoreUrl ? 'EventStoreDB' : `SQLite in ${config.dataDir} (durability ${config.durability})`;
  const logger = new Logger('jxc');
  logger.log(`listening on ${listeningOn(app.getHttpServer() as Server, config)} (events: ${store}; docs: /api/docs)`);
  for (const warning of loosePermissions(config.dataDir)) logger.warn(warning);
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
  stopWithParent(() => void stop('SIGTERM'));
  // A leader whose lease another process took must stop what follows the log at once, since the new leader already
  // runs it: the process exits as if it had crashed (a commit in flight is rolled back whole, the requests in flight
  // get no answer and are retried by their clients); the supervisor starts a new process, which follows.
  if (workers > 1) {
    app.get(Leadership).onLost(() => {
      logger.error('exiting now: another process leads (the supervisor starts a new one)');
      process.exit(1);
    });
  }
}

await main();
