import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';
import { readStoreContract } from './read-store.contract.js';

readStoreContract('embedded SQLite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-views-'));
  return {
    open: async () => SqliteReadStore.open({ dataDir }),
    destroy: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});
