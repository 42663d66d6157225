import { describe, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { dropDatabase } from '../support/mongodb.js';
import { webhooksSuite } from './webhooks.suite.js';

const url = process.env.MONGODB_URL;

if (url) {
  // The same suite with the webhooks and their deliveries in MongoDB (FerretDB in CI): a fresh database, dropped afterwards.
  const databaseName = `jxc_hooks_${randomUUID().slice(0, 8)}`;
  const withDatabase = new URL(url);
  withDatabase.pathname = `/${databaseName}`;
  webhooksSuite({ overrides: () => ({ mongodbUrl: withDatabase.toString() }), cleanUp: () => dropDatabase(url, databaseName) });
} else {
  process.stdout.write('MongoDB webhooks end-to-end suite skipped: MONGODB_URL is not set\n');
  describe('webhooks end to end: MongoDB', () => {
    it.todo('runs the webhooks end-to-end suite with the deliveries in the MongoDB at MONGODB_URL (not set in this run)');
  });
}
