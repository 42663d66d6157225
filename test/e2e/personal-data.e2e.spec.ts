import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { newMasterKeyText } from '../../src/platform/personal-data/master-key.js';
import { runJxc } from '../support/cli.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { caughtUp, filesUnder, NULLED, type Person, plaintextIn, plaintextInBytes, plaintextOnDisk } from '../support/personal-data.js';
import { startService, stopService } from '../support/service-process.js';

// Issue 15, personal data, as a user and an attacker with the disk would notice: the real service on real
// SQLite files, then the real process (dist/src/main.js) restarted with and without its master key.

const CUSTOMER: Person = { id: 'pd-cust-zhuang', name: 'Zhuang Meilin 庄美琳', phone: '+86-139-5550-1234', email: 'Meilin.Zhuang@Example.CN', address: '杭州市西湖区龙井路 88 号 Building Seven' };
const REPLAYED: Person = { id: 'pd-cust-ouyang', name: '欧阳晓峰 Ouyang Xiaofeng', phone: '+86 186 0000 7777', email: 'XF.Ouyang@Mail.example', address: '北京市朝阳区建国路 9 号 Unit Nine' };
const SUPPLIER: Person = { id: 'pd-sup-jade', name: 'Jade Leaf Tea Cooperative 玉叶茶社', phone: '0571-8765-4321', email: 'Orders@JadeLeaf.example', address: '浙江省杭州市梅家坞村 12 号 Gate Three' };
const PEOPLE = [CUSTOMER, REPLAYED, SUPPLIER];

const details = (person: Person) => ({ name: person.name, phone: person.phone, email: person.email, address: person.address });

let jxc: RunningApp;
let dataDir: string;
/** Every line the service logged, at the most verbose level (pino's destination). */
const log = { text: [] as string[], write(chunk: string) { this.text.push(chunk); } };
const keys: Record<string, string> = {};
let saleOrderId: string;

function as(who: string) {
  return jxc.as(keys[who]!);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jxc-e2e-pii-'));
  jxc = await startApp({ dataDir, mongodbUrl: undefined }, { logging: { logLevel: 'trace', logDestination: log } });
  keys.admin = ADMIN_KEY;
  keys.clerk = await jxc.keyFor('clerk-pd', 'clerk');
  keys.auditor = await jxc.keyFor('auditor-pd', 'auditor');
  keys.analyst = await jxc.keyFor('analyst-pd', 'analyst');
  keys.warehouse = await jxc.keyFor('warehouse-pd', 'warehouse');

  const customer = await jxc.http.post('/api/customers').set(as('clerk')).send(CUSTOMER);
  expect(customer.status).toBe(201);
  expect(customer.body).toMatchObject(CUSTOMER);
  const replayed = await jxc.http.post('/api/customers').set({ ...as('clerk'), 'Idempotency-Key': 'register-ouyang' }).send(REPLAYED);
  expect(replayed.status).toBe(201);
  expect(replayed.body).toMatchObject(REPLAYED);
  const supplier = await jxc.http.post('/api/suppliers').set(as('clerk')).send(SUPPLIER);
  expect(supplier.status).toBe(201);
  expect(supplier.body).toMatchObject(SUPPLIER);

  await jxc.http.post('/api/products').set(as('admin')).send({ sku: 'PD-TEA', name: 'Longjing 250 g', price: 12800 }).expect(201);
  await jxc.http.post('/api/stock/receipts').set(as('admin')).send({ sku: 'PD-TEA', quantity: 20 }).expect(201);
  const sale = await jxc.http.post('/api/orders').set(as('clerk')).send({ kind: 'sale', partyId: CUSTOMER.id, lines: [{ sku: 'PD-TEA', quantity: 2 }] });
  expect(sale.status).toBe(201);
  saleOrderId = sale.body.orderId as string;
  await jxc.http.post('/api/orders').set(as('admin')).send({ kind: 'purchase', partyId: SUPPLIER.id, lines: [{ sku: 'PD-TEA', quantity: 5, unitPrice: 9000 }] }).expect(201);
  await caughtUp(jxc);
});

afterAll(async () => {
  await jxc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('personal data at rest', () => {
  it('no personal field of a customer or a supplier is in any file of the data directory, in any case or encoding', () => {
    expect(filesUnder(dataDir)).toEqual(expect.arrayContaining(['events.sqlite', 'views.sqlite', 'keys.sqlite']));
    expect(plaintextOnDisk(dataDir, PEOPLE)).toEqual([]);
  });

  it('the key store and the master key file are readable by the service user only', () => {
    for (const file of ['keys.sqlite', 'master.key']) {
      expect(existsSync(join(dataDir, file))).toBe(true);
      expect(statSync(join(dataDir, file)).mode & 0o077).toBe(0);
    }
  });
});

describe('who sees personal data', () => {
  it.each(['admin', 'clerk', 'auditor'])('%s reads the customer and the supplier in clear', async (who) => {
    const customer = await jxc.http.get(`/api/customers/${CUSTOMER.id}`).set(as(who));
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ ...CUSTOMER, erased: false });
    const supplier = await jxc.http.get(`/api/suppliers/${SUPPLIER.id}`).set(as(who));
    expect(supplier.status).toBe(200);
    expect(supplier.body).toMatchObject(SUPPLIER);
  });

  it('a clerk finds customers and suppliers by name (the names are opened to search them) and reads them in clear', async () => {
    const customers = await jxc.http.get('/api/customers').query({ q: 'Zhuang' }).set(as('clerk'));
    expect(customers.status).toBe(200);
    expect(customers.body.items).toEqual([expect.objectContaining(CUSTOMER)]);
    const byChinese = await jxc.http.get('/api/customers').query({ q: '欧阳' }).set(as('clerk'));
    expect(byChinese.status).toBe(200);
    expect(byChinese.body.items).toEqual([expect.objectContaining(REPLAYED)]);
    const suppliers = await jxc.http.get('/api/suppliers').query({ q: 'Jade Leaf' }).set(as('clerk'));
    expect(suppliers.status).toBe(200);
    expect(suppliers.body.items).toEqual([expect.objectContaining(SUPPLIER)]);
    const all = await jxc.http.get('/api/customers').set(as('clerk'));
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual(expect.arrayContaining([expect.objectContaining(CUSTOMER), expect.objectContaining(REPLAYED)]));
  });

  it('the auditor reads the registrations in the audit trail in clear', async () => {
    const trail = await jxc.http.get('/api/audit').query({ streamId: `customer-${CUSTOMER.id}` }).set(as('auditor'));
    expect(trail.status).toBe(200);
    expect(trail.body.items).toEqual([expect.objectContaining({ type: 'CustomerRegistered', data: expect.objectContaining(CUSTOMER) })]);
  });

  it('an analyst gets every personal field as null: one customer, one supplier', async () => {
    const customer = await jxc.http.get(`/api/customers/${CUSTOMER.id}`).set(as('analyst'));
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ id: CUSTOMER.id, ...NULLED });
    const supplier = await jxc.http.get(`/api/suppliers/${SUPPLIER.id}`).set(as('analyst'));
    expect(supplier.status).toBe(200);
    expect(supplier.body).toMatchObject({ id: SUPPLIER.id, ...NULLED });
  });

  it("the audit trail's CSV export holds them for the auditor, and none of them, nor anything sealed, for an analyst", async () => {
    const mine = await jxc.http.get('/api/audit/export').query({ format: 'csv' }).set(as('auditor')).buffer(true);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain(CUSTOMER.email);
    expect(mine.text).toContain(SUPPLIER.name);
    const masked = await jxc.http.get('/api/audit/export').query({ format: 'csv' }).set(as('analyst')).buffer(true);
    expect(masked.status).toBe(200);
    expect(masked.text).toContain(CUSTOMER.id);
    expect(plaintextInBytes([{ path: 'analyst export', bytes: Buffer.from(masked.text) }], PEOPLE)).toEqual([]);
    expect(masked.text).not.toContain('jxc:pii:');
  });

  it('a key with analyst and another role sees them as that other role does', async () => {
    const both = await jxc.keyFor('analyst-and-clerk', 'analyst', 'clerk');
    expect((await jxc.http.get(`/api/customers/${CUSTOMER.id}`).set(jxc.as(both))).body).toMatchObject(CUSTOMER);
  });

  it('an analyst gets them as null in the audit trail, and nothing sealed either', async () => {
    const trail = await jxc.http.get('/api/audit').query({ limit: 200 }).set(as('analyst'));
    expect(trail.status).toBe(200);
    const registrations = (trail.body.items as { type: string; data: Record<string, unknown> }[]).filter((item) => item.type.endsWith('Registered') && item.type !== 'ProductRegistered');
    expect(registrations.map((item) => item.data.id).sort()).toEqual([CUSTOMER.id, REPLAYED.id, SUPPLIER.id].sort());
    for (const item of registrations) expect(item.data).toMatchObject(NULLED);
    expect(plaintextIn(trail.body, PEOPLE)).toEqual([]);
    expect(JSON.stringify(trail.body)).not.toContain('jxc:pii:');
  });

  it('an analyst gets them as null in party lists', async () => {
    for (const path of ['/api/customers', '/api/suppliers']) {
      const list = await jxc.http.get(path).set(as('analyst'));
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const item of list.body.items) expect(item).toMatchObject(NULLED);
      expect(plaintextIn(list.body, PEOPLE)).toEqual([]);
      expect(JSON.stringify(list.body)).not.toContain('jxc:pii:');
    }
  });

  it('a clerk searches case-insensitively by name, phone or email; an analyst cannot find a party by its personal data, only by id', async () => {
    for (const q of ['zhuang mei', 'meilin.zhuang@', '+86-139-5550']) {
      const found = await jxc.http.get('/api/customers').query({ q }).set(as('clerk'));
      expect(found.body.items).toEqual([expect.objectContaining(CUSTOMER)]);
    }
    for (const q of ['Zhuang', 'meilin.zhuang@', '+86-139', '欧阳']) {
      const probe = await jxc.http.get('/api/customers').query({ q }).set(as('analyst'));
      expect(probe.status).toBe(200);
      expect(probe.body.items).toEqual([]);
    }
    const byId = await jxc.http.get('/api/customers').query({ q: 'pd-cust-zh' }).set(as('analyst'));
    expect(byId.body.items).toEqual([expect.objectContaining({ id: CUSTOMER.id, ...NULLED })]);
  });

  it('no response to anyone carries a sealed value', async () => {
    for (const path of [`/api/customers/${CUSTOMER.id}`, `/api/suppliers/${SUPPLIER.id}`, '/api/audit?limit=200', '/api/customers', '/api/suppliers']) {
      const response = await jxc.http.get(path).set(as('admin'));
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain('jxc:pii:');
    }
  });
});

describe('erasure: POST /api/customers/:id/erase', () => {
  const erase = (who: string, id: string, body: object) => jxc.http.post(`/api/customers/${id}/erase`).set(as(who)).send(body);

  it('is for admins only: a clerk gets 403 and nothing changes', async () => {
    const refused = await erase('clerk', CUSTOMER.id, { reason: 'asked by the customer' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await erase('auditor', CUSTOMER.id, { reason: 'asked by the customer' })).status).toBe(403);
    expect((await jxc.http.get(`/api/customers/${CUSTOMER.id}`).set(as('admin'))).body).toMatchObject({ ...CUSTOMER, erased: false });
  });

  it('needs a reason: 400 naming `reason`', async () => {
    for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
      const refused = await erase('admin', CUSTOMER.id, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(refused.body.error.details)).toContain('reason');
    }
    expect((await jxc.http.get(`/api/customers/${CUSTOMER.id}`).set(as('admin'))).body).toMatchObject({ ...CUSTOMER, erased: false });
  });

  it('answers 404 for an unknown customer, and for a supplier', async () => {
    const unknown = await erase('admin', 'pd-nobody', { reason: 'asked' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await erase('admin', SUPPLIER.id, { reason: 'asked' })).status).toBe(404);
    expect((await jxc.http.get(`/api/suppliers/${SUPPLIER.id}`).set(as('admin'))).body).toMatchObject(SUPPLIER);
  });

  it('answers 200 with the personal fields null and erased: true, and the same again the second time', async () => {
    const first = await erase('admin', CUSTOMER.id, { reason: 'right to erasure, ticket 4711' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: CUSTOMER.id, ...NULLED, erased: true });
    const second = await erase('admin', CUSTOMER.id, { reason: 'right to erasure, ticket 4711' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: CUSTOMER.id, ...NULLED, erased: true });
    const other = await erase('admin', REPLAYED.id, { reason: 'asked by the customer' });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ id: REPLAYED.id, ...NULLED, erased: true });
    await caughtUp(jxc);
  });

  it.each(['admin', 'clerk', 'auditor', 'analyst'])('%s then reads the customer as erased: 200, fields null', async (who) => {
    const customer = await jxc.http.get(`/api/customers/${CUSTOMER.id}`).set(as(who));
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ id: CUSTOMER.id, ...NULLED, erased: true });
  });

  it('an erased customer is no longer found by its name, and lists show it with null fields', async () => {
    expect((await jxc.http.get('/api/customers').query({ q: 'Zhuang' }).set(as('clerk'))).body.items).toEqual([]);
    const all = await jxc.http.get('/api/customers').set(as('admin'));
    expect(all.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: CUSTOMER.id, ...NULLED, erased: true })]));
    expect(plaintextIn(all.body, [CUSTOMER, REPLAYED])).toEqual([]);
  });

  it('the audit trail keeps the events but shows nothing readable of the customer, even to the auditor', async () => {
    const trail = await jxc.http.get('/api/audit').query({ streamId: `customer-${CUSTOMER.id}` }).set(as('auditor'));
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((item: { type: string }) => item.type).sort()).toEqual(['CustomerErased', 'CustomerRegistered']);
    const registered = trail.body.items.find((item: { type: string }) => item.type === 'CustomerRegistered');
    expect(registered.data).toMatchObject({ id: CUSTOMER.id, ...NULLED });
    const everything = await jxc.http.get('/api/audit').query({ limit: 200 }).set(as('auditor'));
    expect(plaintextIn(everything.body, [CUSTOMER, REPLAYED])).toEqual([]);
    expect(JSON.stringify(everything.body)).not.toContain('jxc:pii:');
    // The supplier was not erased: the auditor still reads it.
    expect(plaintextIn(everything.body, [SUPPLIER])).not.toEqual([]);
  });

  it("the auditor's CSV export of the audit trail holds nothing of the erased customers", async () => {
    const exported = await jxc.http.get('/api/audit/export').query({ format: 'csv' }).set(as('auditor')).buffer(true);
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('CustomerErased');
    expect(plaintextInBytes([{ path: 'auditor export', bytes: Buffer.from(exported.text) }], [CUSTOMER, REPLAYED])).toEqual([]);
    expect(exported.text).toContain(SUPPLIER.email);
    expect(exported.text).not.toContain('jxc:pii:');
  });

  it('the replay of the registration by its Idempotency-Key answers the fields null', async () => {
    const replay = await jxc.http.post('/api/customers').set({ ...as('clerk'), 'Idempotency-Key': 'register-ouyang' }).send(REPLAYED);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toMatchObject({ id: REPLAYED.id, ...NULLED });
    expect(plaintextIn(replay.body, [REPLAYED])).toEqual([]);
  });

  it('the erased id cannot be registered again with personal data', async () => {
    const again = await jxc.http.post('/api/customers').set(as('clerk')).send(CUSTOMER);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_exists');
    expect((await jxc.http.get(`/api/customers/${CUSTOMER.id}`).set(as('admin'))).body).toMatchObject({ ...NULLED, erased: true });
  });

  it("the customer's order, its history and its next steps still work", async () => {
    const order = await jxc.http.get(`/api/orders/${saleOrderId}`).set(as('admin'));
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({ partyId: CUSTOMER.id, status: 'placed', total: 25600 });
    const history = await jxc.http.get(`/api/orders/${saleOrderId}/history`).set(as('auditor'));
    expect(history.status).toBe(200);
    expect(history.body.events[0]).toMatchObject({ type: 'OrderPlaced' });
    expect((await jxc.http.post(`/api/orders/${saleOrderId}/process`).set(as('warehouse')).send()).status).toBe(200);
    const shipped = await jxc.http.post(`/api/orders/${saleOrderId}/ship`).set(as('warehouse')).send({ carrier: 'SF Express' });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');
    await caughtUp(jxc);
  });

  it('every hash chain still verifies', async () => {
    const verified = await jxc.http.get('/api/audit/verify').set(as('auditor'));
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
    expect(verified.body.eventsChecked).toBeGreaterThan(10);
  });

  it('a projection rebuild (jxc projections rebuild) gives the same erased views, and projections verify is ok', async () => {
    const before = await Promise.all([`/api/customers/${CUSTOMER.id}`, `/api/customers/${REPLAYED.id}`, `/api/suppliers/${SUPPLIER.id}`].map((path) => jxc.http.get(path).set(as('admin'))));
    const rebuilt = await runJxc(dataDir, ['projections', 'rebuild'], { timeoutMs: 120_000 });
    expect(rebuilt.stderr).toBe('');
    expect(rebuilt.code).toBe(0);
    const verified = await runJxc(dataDir, ['projections', 'verify'], { timeoutMs: 120_000 });
    expect(verified.stdout).toContain('every view equals a fresh replay of the log');
    expect(verified.code).toBe(0);
    await caughtUp(jxc);
    const after = await Promise.all([`/api/customers/${CUSTOMER.id}`, `/api/customers/${REPLAYED.id}`, `/api/suppliers/${SUPPLIER.id}`].map((path) => jxc.http.get(path).set(as('admin'))));
    expect(after.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(after[0]!.body).toMatchObject({ id: CUSTOMER.id, ...NULLED, erased: true });
    expect(after[1]!.body).toMatchObject({ id: REPLAYED.id, ...NULLED, erased: true });
    expect(after[2]!.body).toMatchObject(SUPPLIER);
    expect(after.map((response) => response.body)).toEqual(before.map((response) => response.body));
    const trail = await jxc.http.get('/api/audit').query({ streamId: `customer-${CUSTOMER.id}` }).set(as('auditor'));
    expect(trail.body.items.find((item: { type: string }) => item.type === 'CustomerRegistered').data).toMatchObject(NULLED);
  });

  it('the files still hold no personal data in clear', () => {
    expect(plaintextOnDisk(dataDir, PEOPLE)).toEqual([]);
  });

  it('the log holds no personal data: not from registrations, searches, refused requests or erasures', async () => {
    const refused = await jxc.http.post('/api/suppliers').set(as('clerk')).send({ ...SUPPLIER, id: 'pd-sup-refused', email: 'not an email' });
    expect(refused.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(log.text.join('')).toContain('"route":"/api/customers/:id/erase"');
    expect(plaintextInBytes([{ path: 'log', bytes: Buffer.from(log.text.join('')) }], PEOPLE)).toEqual([]);
  });
});

/** Runs the built service and waits for it to exit on its own (a refused start). */
function refusedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, NODE_OPTIONS: _node, JXC_MASTER_KEY: _key, JXC_MASTER_KEY_FILE: _file, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/src/main.js')], {
      env: { ...inherited, PORT: '0', JXC_DATA_DIR: dataDir, JXC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const err: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the service did not stop: it was expected to refuse to start'));
    }, 30_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

describe('the master key at start', () => {
  let keyFile: string;
  let keyDir: string;
  let closing: unknown;

  beforeAll(async () => {
    // Closing checks every response sent so far against the OpenAPI document; its verdict is the first test below.
    closing = await jxc.close().then(
      () => undefined,
      (error: unknown) => error,
    );
    jxc = undefined as unknown as RunningApp;
    // The operator keeps the key away from the data, as docs/personal-data.md says.
    keyDir = mkdtempSync(join(tmpdir(), 'jxc-e2e-pii-key-'));
    keyFile = join(keyDir, 'master.key');
    renameSync(join(dataDir, 'master.key'), keyFile);
  });

  afterAll(() => {
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('every response of the service above matched its OpenAPI document', () => {
    expect(closing).toBeUndefined();
  });

  it('without a master key, personal data present: exit 1 with one line naming JXC_MASTER_KEY, and no new key made', async () => {
    const run = await refusedStart({});
    expect(run.code).not.toBe(0);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('JXC_MASTER_KEY');
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
  });

  it('with another master key: exit 1 with one clear line', async () => {
    const run = await refusedStart({ JXC_MASTER_KEY: newMasterKeyText() });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/master key/i);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('with a master key that is not a key: exit 1 with one line naming JXC_MASTER_KEY, without echoing it', async () => {
    const run = await refusedStart({ JXC_MASTER_KEY: 'hunter2-hunter2' });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('JXC_MASTER_KEY');
    expect(run.stderr).not.toContain('hunter2');
  });

  it('with a key file that does not exist: exit 1 with one line naming JXC_MASTER_KEY_FILE', async () => {
    const run = await refusedStart({ JXC_MASTER_KEY_FILE: join(keyDir, 'missing.key') });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('JXC_MASTER_KEY_FILE');
  });

  it.each([
    ['JXC_MASTER_KEY_FILE', () => ({ JXC_MASTER_KEY_FILE: keyFile })],
    ['JXC_MASTER_KEY', () => ({ JXC_MASTER_KEY: readFileSync(keyFile, 'utf8').trim() })],
  ])('with the right key from %s: the personal data read again, the erased stay erased', async (_how, env) => {
    const service = await startService(dataDir, ADMIN_KEY, { NODE_OPTIONS: '', ...env() });
    try {
      const get = async (path: string) => {
        const response = await fetch(`${service.url}${path}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const supplier = await get(`/suppliers/${SUPPLIER.id}`);
      expect(supplier.status).toBe(200);
      expect(supplier.body).toMatchObject(details(SUPPLIER));
      const customer = await get(`/customers/${CUSTOMER.id}`);
      expect(customer.status).toBe(200);
      expect(customer.body).toMatchObject({ ...NULLED, erased: true });
      expect((await get('/audit/verify')).body).toMatchObject({ ok: true });
    } finally {
      await stopService(service, 'SIGTERM');
    }
    expect(plaintextOnDisk(dataDir, PEOPLE)).toEqual([]);
  });
});
