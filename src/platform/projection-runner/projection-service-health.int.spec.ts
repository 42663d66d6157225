import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../config/config.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store.js';
import { ProjectionService } from './projection.service.js';
import { type FromWorker, type GroupStatus } from './projection-worker-protocol.js';

// What the service makes of the worker's reports while a group is rebuilt at start-up (its version
// changed): /api/health shows the rebuild, reads keep the previous generation's position.
describe('projection service: a group rebuilt at start-up, as /api/health and reads see it (real SQLite stores)', () => {
  let dataDir: string;
  let events: SqliteEventStore;
  let views: SqliteReadStore;
  let service: ProjectionService;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-service-health-'));
    events = SqliteEventStore.open({ dataDir, durability: 'normal' });
    views = SqliteReadStore.open({ dataDir });
    service = new ProjectionService(events, views, { ...loadConfig({}), dataDir }, new MetricsRegistry(), new URL('file:///unused.js'));
  });

  afterEach(async () => {
    await events.close();
    await views.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const report = (groups: GroupStatus[]) => (service as unknown as { received(message: FromWorker): void }).received({ type: 'status', groups });
  const append = (n: number) => events.append(`acct-${n}`, [{ eventId: crypto.randomUUID(), type: 'Added', data: {}, metadata: {} }], 'any');

  it('shows the fresh generation and how far the rebuild got, not caught up; reads keep the live generation and its checkpoint', async () => {
    const first = await append(1);
    const second = await append(2);
    const rebuilding = (position: string | null): GroupStatus => ({
      group: 'orders',
      status: 'starting',
      lastError: null,
      views: ['orders', 'cancellation_stats'].map((view) => ({ view, generation: '1', position: second.position, rebuild: { generation: '2', position } })),
    });

    report([rebuilding(null)]);
    expect((await service.health()).orders).toMatchObject({ group: 'orders', status: 'starting', generation: '2', position: null, lag: 2, caughtUp: false });

    report([rebuilding(first.position)]);
    expect((await service.health()).cancellation_stats).toMatchObject({ generation: '2', position: first.position, lag: 1, caughtUp: false });

    report([rebuilding(second.position)]);
    expect((await service.health()).orders).toMatchObject({ generation: '2', lag: 0, caughtUp: false });
    expect(service.position('orders')).toBe(second.position);

    report([{ group: 'orders', status: 'running', lastError: null, views: ['orders', 'cancellation_stats'].map((view) => ({ view, generation: '2', position: second.position })) }]);
    expect((await service.health()).orders).toMatchObject({ status: 'running', generation: '2', position: second.position, lag: 0, caughtUp: true });
  });
});
