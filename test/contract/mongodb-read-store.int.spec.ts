import { describe, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { MongoReadStore } from '../../src/platform/read-store/mongodb/mongodb-read-store.js';
import { dropDatabase } from '../support/mongodb.js';
import { readStoreContract } from './read-store.contract.js';

const url = process.env.MONGODB_URL;

if (url) {
  // A fresh database per test, under a per-run prefix, dropped afterwards.
  const run = `jxc_contract_${randomUUID().slice(0, 8)}`;
  let tests = 0;
  readStoreContract(`MongoDB (${url})`, async () => {
    tests += 1;
    const databaseName = `${run}_${tests}`;
    return {
      open: () => MongoReadStore.connect({ url, databaseName }),
      destroy: () => dropDatabase(url, databaseName),
    };
  });
} else {
  process.stdout.write('MongoDB read-store contract suite skipped: MONGODB_URL is not set\n');
  describe('read store contract: MongoDB', () => {
    it.todo('runs against the server at MONGODB_URL (not set in this run)');
  });
}
