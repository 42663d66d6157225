import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

async function until(jxc: RunningApp, path: string, accept: (status: number, body: Record<string, unknown>) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await jxc.http.get(path);
    if (accept(response.status, response.body) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('health: live, ready and the summary', () => {
  let jxc: RunningApp;
  beforeAll(async () => {
    jxc = await startApp();
  });
  afterAll(async () => {
    await jxc.close();
  });

  it('GET /api/health/live answers 200 without a key', async () => {
    const live = await jxc.http.get('/api/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok', info: { process: { status: 'up' } }, error: {} });
  });

  it('GET /api/health/ready answers 200 once both stores answer and the views have caught up, naming each check', async () => {
    const ready = await until(jxc, '/api/health/ready', (status) => status === 200);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { eventStore: { status: 'up', kind: 'sqlite' }, readStore: { status: 'up', kind: 'sqlite' }, projections: { status: 'up', caughtUp: true } },
      error: {},
    });
  });

  it('GET /api/health keeps its fields (status, store, readStore, projections) and adds ready, store writes/reads, readStore status, stalled processes', async () => {
    await jxc.http.post('/api/products').set(jxc.as(ADMIN_KEY)).send({ sku: 'HEALTH-1', name: 'Health check tea', price: 100 }).expect(201);
    const running = (body: Record<string, unknown>) => Object.values(body.projections as Record<string, { status: string }>).every((view) => view.status === 'running');
    const health = await until(jxc, '/api/health', (status, body) => status === 200 && body.status === 'ok' && running(body));
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      ready: true,
      store: { kind: 'sqlite', status: 'ok', position: expect.any(String), writes: 'ok', reads: 'ok', since: null },
      readStore: { kind: 'sqlite', status: 'ok' },
      processes: { stalled: 0 },
    });
    expect(health.body.projections.orders).toMatchObject({ group: 'orders', status: 'running', lastError: null, deadLetters: 0 });
    expect(health.headers['cache-control']).toMatch(/no-store/);
  });

  it('OpenAPI documents the health routes, with the 503 answers of the summary and of readiness', async () => {
    const paths = (await jxc.http.get('/api/docs-json').expect(200)).body.paths as Record<string, { get: { responses: Record<string, unknown> } }>;
    for (const path of ['/api/health', '/api/health/ready']) expect(Object.keys(paths[path].get.responses)).toEqual(expect.arrayContaining(['200', '503']));
    expect(Object.keys(paths['/api/health/live'].get.responses)).toContain('200');
    expect(JSON.stringify(paths['/api/health'].get.responses['200'])).toContain('HealthSummary');
  });
});

describe('health: readiness after a restart on an existing log', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-ready-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 (summary `starting`, naming the groups catching up) until every projection group has caught up once, then 200', async () => {
    const first = await startApp({ dataDir });
    try {
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(
          Array.from({ length: 15 }, (_, i) =>
            first.http.post('/api/products').set(first.as(ADMIN_KEY)).send({ sku: `READY-${batch}-${i}`, name: `Ready ${batch}-${i}`, price: 100 }).expect(201),
          ),
        );
      }
    } finally {
      await first.close();
    }

    const second = await startApp({ dataDir });
    try {
      // Asked at once: the projection worker has only just started, from the checkpoints of the first run.
      const early = await second.http.get('/api/health/ready');
      expect(early.status).toBe(503);
      expect(early.body).toMatchObject({
        status: 'error',
        info: { eventStore: { status: 'up' }, readStore: { status: 'up' } },
        error: { projections: { status: 'down', caughtUp: false, catchingUp: expect.arrayContaining(['master_data']) } },
      });
      const summary = await second.http.get('/api/health');
      expect(summary.status).toBe(503);
      expect(summary.body).toMatchObject({ status: 'starting', ready: false, store: { status: 'ok' }, readStore: { status: 'ok' }, catchingUp: expect.any(Array) });

      const ready = await until(second, '/api/health/ready', (status) => status === 200);
      expect(ready.status).toBe(200);
      const after = await until(second, '/api/health', (status) => status === 200);
      expect(after.body).toMatchObject({ status: 'ok', ready: true });
      expect(after.body.catchingUp).toBeUndefined();
      await second.http.get('/api/products/READY-9-14').set(second.as(ADMIN_KEY)).expect(200);
    } finally {
      await second.close();
    }
  }, 60_000);
});
