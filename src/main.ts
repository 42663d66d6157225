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
  new Logger('jxc').log(`listening on http://localhost:${config.port}/api (events: ${store}; docs: /api/docs)`);
}

await main();
