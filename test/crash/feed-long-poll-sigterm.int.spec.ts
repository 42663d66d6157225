import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startService } from '../support/service-process.js';

// A long poll of the feed (wait up to 30 s) must not hold up a graceful stop, which waits for the requests in
// flight: on SIGTERM the waiting request is answered at once with what there is (nothing), and the built
// service exits 0.
const ADMIN = 'feed-sigterm-admin-0123456789';

describe('GET /api/feed?wait= and SIGTERM', () => {
  it('answers a waiting long poll with no items when the service is asked to stop, then exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-feed-sigterm-'));
    const service = await startService(dataDir, ADMIN);
    try {
      const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
      const waiting = fetch(`${service.url}/feed?wait=30`, { headers: { Authorization: `Bearer ${ADMIN}` } });
      await new Promise((resolve) => setTimeout(resolve, 500));
      service.child.kill('SIGTERM');
      const response = await waiting;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ items: [], last: null });
      expect(await exited).toBe(0);
    } finally {
      service.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
