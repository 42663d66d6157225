import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { FreezableProxy } from '../support/freezable-proxy.js';
import { dropDatabase } from '../support/mongodb.js';

const url = process.env.MONGODB_URL;
const SUITE = 'Read-store timeout end-to-end suite';

/** Polls a GET until `accept` holds (bounded), returning the last answer. */
async function until(jxc: RunningApp, path: string, accept: (status: number) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await jxc.http.get(path).set(jxc.as(ADMIN_KEY));
    if (accept(response.status) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

if (url) {
  describe(`${SUITE}: views in MongoDB behind a proxy that stops answering`, () => {
    const databaseName = `jxc_timeout_${randomUUID().slice(0, 8)}`;
    let proxy: FreezableProxy;
    let jxc: RunningApp;

    beforeAll(async () => {
      const target = new URL(url);
      proxy = await FreezableProxy.start(target.hostname, Number(target.port || 27017));
      const proxied = new URL(url);
      proxied.host = `127.0.0.1:${proxy.port}`;
      proxied.pathname = `/${databaseName}`;
      jxc = await startApp({ mongodbUrl: proxied.toString() });
    }, 60_000);
    afterAll(async () => {
      proxy?.thaw();
      await jxc?.close();
      await proxy?.close();
      await dropDatabase(url, databaseName);
    }, 60_000);

    it('answers a query 503 read_store_unavailable when the read store does not answer, keeps taking commands, and serves again once it answers', async () => {
      const admin = jxc.as(ADMIN_KEY);
      await jxc.http.get('/api/orders').set(admin).expect(200);
      expect((await jxc.http.get('/api/health/ready')).status).toBe(200);

      proxy.freeze();

      const started = Date.now();
      const hung = await jxc.http.get('/api/orders').set(admin);
      process.stdout.write(`${SUITE}: GET /api/orders answered ${hung.status} after ${Date.now() - started} ms with the read store frozen\n`);
      expect(hung.status).toBe(503);
      expect(hung.body).toEqual({ error: { code: 'read_store_unavailable', message: expect.any(String), details: {} } });
      expect(Number(hung.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(hung.body)).not.toMatch(/Mongo|127\.0\.0\.1|ECONN/);

      // The other query routes have the same bound (one decorator of the read store port).
      const product = await jxc.http.get('/api/products/NONE').set(admin);
      expect(product.status).toBe(503);
      expect(product.body.error.code).toBe('read_store_unavailable');

      // Health: not ready, the read store named, no driver text; liveness unaffected.
      const health = await jxc.http.get('/api/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', ready: false, readStore: { kind: 'mongodb', status: 'unavailable' }, store: { status: 'ok' } });
      expect(JSON.stringify(health.body)).not.toMatch(/Mongo[A-Z]|ECONN|timed out/);
      const ready = await jxc.http.get('/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'error', error: { readStore: { status: 'down' } } });
      await jxc.http.get('/api/health/live').expect(200);

      // Commands do not need the read store (a snapshot that cannot be read is skipped).
      await jxc.http.post('/api/products').set(admin).send({ sku: 'FROZEN-1', name: 'Registered while the read store hung', price: 100 }).expect(201);

      proxy.thaw();

      const back = await until(jxc, '/api/orders', (status) => status === 200);
      expect(back.status).toBe(200);
      expect((await until(jxc, '/api/products/FROZEN-1', (status) => status === 200)).status).toBe(200);
    }, 90_000);
  });
} else {
  process.stdout.write(`${SUITE} skipped: MONGODB_URL is not set\n`);
  describe(SUITE, () => {
    it.todo('runs with the views in the MongoDB at MONGODB_URL behind a proxy that stops answering (not set in this run)');
  });
}
