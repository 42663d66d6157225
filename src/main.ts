import { Logger } from '@nestjs/common';

import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';

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
  await app.listen(config.port);
  const store = config.eventStoreUrl ? 'EventStoreDB' : `SQLite in ${config.dataDir} (durability ${config.durability})`;
  const logger = new Logger('jxc');
  logger.log(`listening on http://localhost:${config.port}/api (events: ${store}; docs: /api/docs)`);
  if (!config.bootstrapAdminKey) {
    logger.warn('JXC_BOOTSTRAP_ADMIN_KEY is not set: only API keys created earlier are accepted. Set it (16+ characters) to create keys with POST /api/keys.');
  }
}

await main();
