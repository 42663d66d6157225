import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { mountSmallDisk, printSkip, type SmallDisk } from '../support/tmpfs.js';

const SUITE = 'Disk-full end-to-end suite';
const disk = mountSmallDisk(4);

/** Polls a GET until it answers 200 (bounded), returning the last status. */
async function untilFound(jxc: RunningApp, path: string, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await jxc.http.get(path).set(jxc.as(ADMIN_KEY));
    if (status === 200 || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls /api/health until `accept` holds (bounded), returning the last answer. */
async function healthUntil(jxc: RunningApp, accept: (status: number, body: Record<string, unknown>) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await jxc.http.get('/api/health');
    if (accept(response.status, response.body) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if ('skip' in disk) {
  printSkip(SUITE, disk.skip);
  describe(SUITE, () => {
    it.todo('runs the service on a 4 MB tmpfs where mount is permitted (root)');
  });
} else {
  describe(`${SUITE}: the service on a 4 MB tmpfs`, () => {
    const small: SmallDisk = disk;
    let jxc: RunningApp;
    const admin = () => jxc.as(ADMIN_KEY);
    const product = (sku: string) => ({ sku, name: `Product ${sku}`, price: 1200 });

    beforeAll(async () => {
      jxc = await startApp({ dataDir: small.dir });
    });
    afterAll(async () => {
      await jxc?.close();
      small.unmount();
    });

    it('answers writes 503 storage_unavailable with Retry-After while the disk is full, keeps serving reads, says so on /api/health, and recovers without a restart', async () => {
      await jxc.http.post('/api/products').set(admin()).send(product('DISK-0')).expect(201);
      expect(await untilFound(jxc, '/api/products/DISK-0')).toBe(200);
      const ready = await healthUntil(jxc, (status) => status === 200);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', ready: true, store: { status: 'ok', writes: 'ok' } });

      small.fill();

      // Until the disk refuses (the WAL may hold a few more pages): the first refused write, with its key.
      let refused: { key: string; sku: string; response: Awaited<ReturnType<RunningApp['http']['post']>> } | undefined;
      for (let i = 1; i <= 500 && !refused; i++) {
        const key = `disk-full-${i}`;
        const sku = `DISK-${i}`;
        const response = await jxc.http.post('/api/products').set(admin()).set('Idempotency-Key', key).send({ ...product(sku), spec: 'x'.repeat(200) });
        if (response.status !== 201) refused = { key, sku, response };
      }
      expect(refused).toBeDefined();
      const { response } = refused!;
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ error: { code: 'storage_unavailable', message: expect.any(String), details: {} } });
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(response.body)).not.toMatch(/SQLITE|sqlite|disk is full|jxc-small-disk/);

      // Every write is refused the same way while the disk stays full.
      const another = await jxc.http.post('/api/customers').set(admin()).send({ name: 'Wang Fang' });
      expect(another.status).toBe(503);
      expect(another.body.error.code).toBe('storage_unavailable');

      // Health: the store cannot write; 503; no internal text.
      const down = await jxc.http.get('/api/health');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'unavailable', store: { kind: 'sqlite', status: 'unavailable', writes: 'unavailable', reads: 'ok', since: expect.any(String) } });
      expect(JSON.stringify(down.body)).not.toMatch(/SQLITE|disk is full|jxc-small-disk|events\.sqlite|views\.sqlite/);

      // Reads keep working: the read store (a view) and the event store (the hash chains of the whole log).
      await jxc.http.get('/api/products/DISK-0').set(admin()).expect(200);
      const verified = await jxc.http.get('/api/audit/verify').set(admin()).expect(200);
      expect(verified.body.ok).toBe(true);
      await jxc.http.get('/api/health/live').expect(200);

      small.free();

      // The same request with the same key: now applied, 201, and the service was not restarted.
      const retried = await jxc.http.post('/api/products').set(admin()).set('Idempotency-Key', refused!.key).send({ ...product(refused!.sku), spec: 'x'.repeat(200) });
      expect(retried.status).toBe(201);
      expect(retried.body).toMatchObject({ sku: refused!.sku });
      await jxc.http.post('/api/customers').set(admin()).send({ name: 'Wang Fang' }).expect(201);

      const back = await healthUntil(jxc, (status, body) => status === 200 && body.status === 'ok');
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ status: 'ok', ready: true, store: { status: 'ok', writes: 'ok', reads: 'ok', since: null } });
      expect(await untilFound(jxc, `/api/products/${refused!.sku}`)).toBe(200);
    });
  });
}
