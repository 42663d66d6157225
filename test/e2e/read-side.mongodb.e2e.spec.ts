import { describe, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { dropDatabase } from '../support/mongodb.js';
import { readSideSuite } from './read-side.suite.js';

const url = process.env.MONGODB_URL;

if (url) {
  // The same end-to-end suite with the views in MongoDB (FerretDB in CI): a fresh database, dropped afterwards.
  const databaseName = `jxc_e2e_${randomUUID().slice(0, 8)}`;
  const withDatabase = new URL(url);
  withDatabase.pathname = `/${databaseName}`;
  readSideSuite({
    kind: 'mongodb',
    overrides: () => ({ mongodbUrl: withDatabase.toString() }),
    cleanUp: () => dropDatabase(url, databaseName),
  });
} else {
  process.stdout.write('MongoDB read-side end-to-end suite skipped: MONGODB_URL is not set\n');
  describe('read side end to end: MongoDB', () => {
    it.todo('runs the read-side end-to-end suite with views in the MongoDB at MONGODB_URL (not set in this run)');
  });
}
